using System.Diagnostics;
using BenchmarkDotNet.Running;
using IchFunctions.Dicom.Benchmarks;

// Runs the BenchmarkDotNet suite, then the pydicom peer on the same files in the same run, so that
// docs/benchmarks.md can state the ratio. Pass BenchmarkDotNet arguments through, for example --filter '*'.
BenchmarkSwitcher.FromAssembly(typeof(HeaderReadBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);

var peer = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
peer.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pydicom_headers.py"));
peer.ArgumentList.Add(SeriesFiles.Folder());
using Process process = Process.Start(peer) ?? throw new InvalidOperationException("/usr/bin/python3 did not start.");
Console.WriteLine(process.StandardOutput.ReadToEnd());
process.WaitForExit();
