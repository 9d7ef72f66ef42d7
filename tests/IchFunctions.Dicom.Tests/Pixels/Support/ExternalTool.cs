using System.Diagnostics;

namespace IchFunctions.Dicom.Tests.Pixels.Support;

/// <summary>Runs the DCMTK and GDCM command-line tools that serve as test oracles.</summary>
internal static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs a tool and returns its standard output, or skips the test when the tool is not installed.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Assert.Skip($"{tool} is not installed ({exception.Message}); install DCMTK and GDCM with ./build.sh install.");
            throw;
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', arguments)} timed out after {Timeout.TotalSeconds} s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {error.Result}");
            }

            return output.Result;
        }
    }
}
