using System.Diagnostics;
using System.Globalization;
using IchFunctions.Bench.Inference;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Inference.Remote;
using IchFunctions.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project bench/IchFunctions.Bench.Inference -- [--model PATH] [--size PIXELS] [--seconds S] [--clients N]
BenchSettings settings = BenchSettings.Parse(args);
const string SharedKey = "benchmark-shared-key-0123456789abcdef";

using OnnxModelRunner local = OnnxModelRunner.Load(settings.ModelPath);
Console.WriteLine($"model {Path.GetFileName(settings.ModelPath)}, {settings.Size}x{settings.Size} slices, {settings.Clients} concurrent clients, "
    + $"{settings.Seconds} s per case, {Environment.ProcessorCount} logical CPUs, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

WebApplication service = ServiceApplication.Build(
[
    "--urls=http://127.0.0.1:0",
    "--Logging:LogLevel:Default=Warning",
    $"--Model:Path={settings.ModelPath}",
    "--Model:ExecutionProvider=Cpu",
    $"--Authentication:SharedKey={SharedKey}",
    "--Serving:MaxBatchSize=16",
    "--Serving:MaxQueueDelayMilliseconds=5",
    $"--Serving:MaxRequestBytes={1L << 30}",
]);
await service.StartAsync();
string address = service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
await Waiting.UntilReadyAsync(new Uri(address + "/"));

var options = new RemoteModelOptions { BaseAddress = new Uri(address + "/"), ModelName = local.Contract.ModelName, MaxRetries = 0 }.WithSharedKey(SharedKey);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients }) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
using RemoteModelRunner remote = await RemoteModelRunner.ConnectAsync(options, http, CancellationToken.None);

Console.WriteLine();
Console.WriteLine("| batch | engine | callers | slices/s | p50 ms | p99 ms | requests |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (int batch in (int[])[1, 8])
{
    Measurement inProcess = await Load.RunAsync(local, batch, settings, callers: 1);
    Measurement served = await Load.RunAsync(remote, batch, settings, callers: settings.Clients);
    Console.WriteLine(inProcess.Row(batch, "in-process ONNX Runtime"));
    Console.WriteLine(served.Row(batch, "service over HTTP (binary)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  | service / in-process throughput | | {served.SlicesPerSecond / inProcess.SlicesPerSecond:0.00}x | | | |"));
}

await service.StopAsync();
await service.DisposeAsync();

namespace IchFunctions.Bench.Inference
{
    internal sealed record BenchSettings(string ModelPath, int Size, int Seconds, int Clients)
    {
        public static BenchSettings Parse(string[] args)
        {
            string Value(string name, string fallback)
            {
                int index = Array.IndexOf(args, name);
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
            }

            string defaultModel = Path.Combine(FindRoot(), "tests", "data", "golden", "patchfcn-w0.0625-s3.onnx");
            return new BenchSettings(
                Path.GetFullPath(Value("--model", defaultModel)),
                int.Parse(Value("--size", "256"), CultureInfo.InvariantCulture),
                int.Parse(Value("--seconds", "15"), CultureInfo.InvariantCulture),
                int.Parse(Value("--clients", "32"), CultureInfo.InvariantCulture));
        }

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "IchFunctions.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("IchFunctions.sln not found above the benchmark; pass --model PATH.");
        }
    }

    internal sealed record Measurement(double SlicesPerSecond, double P50Milliseconds, double P99Milliseconds, int Requests, int Callers)
    {
        public string Row(int batch, string engine) => string.Create(CultureInfo.InvariantCulture,
            $"| {batch} | {engine} | {Callers} | {SlicesPerSecond:0.0} | {P50Milliseconds:0.0} | {P99Milliseconds:0.0} | {Requests} |");
    }

    internal static class Load
    {
        /// <summary>
        /// Runs <paramref name="callers"/> loops that each call the runner with <paramref name="batch"/> slices until the time
        /// is up, after a short warm-up; returns throughput and per-call latency percentiles.
        /// </summary>
        public static async Task<Measurement> RunAsync(IModelRunner runner, int batch, BenchSettings settings, int callers)
        {
            int size = settings.Size;
            int context = runner.Contract.Input.ContextSlices;
            await RunForAsync(runner, batch, size, context, callers, TimeSpan.FromSeconds(2));
            (List<double> latencies, double seconds) = await RunForAsync(runner, batch, size, context, callers, TimeSpan.FromSeconds(settings.Seconds));
            latencies.Sort();
            return new Measurement(
                latencies.Count * batch / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count, callers);
        }

        private static async Task<(List<double> Latencies, double Seconds)> RunForAsync(
            IModelRunner runner, int batch, int size, int context, int callers, TimeSpan duration)
        {
            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            Task[] loops = [.. Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
            {
                var random = new Random(caller);
                float[] input = [.. Enumerable.Range(0, batch * context * size * size).Select(_ => (float)random.Next(-1024, 1500))];
                var pixels = new float[batch * size * size];
                var slices = new float[batch];
                while (clock.Elapsed < duration)
                {
                    long started = Stopwatch.GetTimestamp();
                    await runner.RunAsync(input, batch, size, size, pixels, slices, CancellationToken.None);
                    double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    lock (latencies)
                    {
                        latencies.Add(milliseconds);
                    }
                }
            }))];
            await Task.WhenAll(loops);
            return (latencies, clock.Elapsed.TotalSeconds);
        }

        private static double Percentile(List<double> sorted, double fraction) =>
            sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    internal static class Waiting
    {
        public static async Task UntilReadyAsync(Uri baseAddress)
        {
            using var http = new HttpClient { BaseAddress = baseAddress };
            for (int attempt = 0; attempt < 600; attempt++)
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri("v2/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("The service did not become ready within 60 s.");
        }
    }
}
