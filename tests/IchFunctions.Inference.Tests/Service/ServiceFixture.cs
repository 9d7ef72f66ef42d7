using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using IchFunctions.Inference.Telemetry;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Inference.Tests.Service;

/// <summary>
/// The inference service on Kestrel at a free port of 127.0.0.1, on the CPU, serving a golden test model with
/// a shared key. It records the batch sizes and queue depth the service reports through its metrics.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    public const string SharedKey = "inference-tests-shared-key-0123456789";

    /// <summary>Largest accepted body in these tests: room for 16 stacks of 3 x 64 x 64 FP32 and JSON overhead.</summary>
    public const long MaxRequestBytes = 1024 * 1024;

    private MeterListener? _listener;
    private int _queueDepth;
    private int _enqueued;

    public static string ModelPath { get; } = Path.Combine(TestData.RepositoryRoot, "tests", "data", "golden", "patchfcn-w0.0625-s3.onnx");

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client that sends the shared key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that sends no Authorization header.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    /// <summary>Requests waiting in the batching queue, summed from the queue depth metric.</summary>
    public int QueueDepth => Volatile.Read(ref _queueDepth);

    /// <summary>Requests queued since the service started.</summary>
    public int Enqueued => Volatile.Read(ref _enqueued);

    /// <summary>Requests the service has finished, with a response or abandoned by the client, by encoding ("json" or "binary").</summary>
    public ConcurrentDictionary<string, int> Finished { get; } = new(StringComparer.Ordinal);

    /// <summary>The provider attribute of each batch size measurement.</summary>
    public ConcurrentQueue<string?> Providers { get; } = new();

    protected virtual IEnumerable<string> Settings =>
    [
        $"--Model:Path={ModelPath}",
        "--Model:ExecutionProvider=Cpu",
        $"--Authentication:SharedKey={SharedKey}",
        "--Serving:MaxBatchSize=16",
        "--Serving:MaxQueueDelayMilliseconds=5",
        "--Serving:MaxQueueLength=256",
        $"--Serving:MaxRequestBytes={MaxRequestBytes}",
    ];

    public async ValueTask InitializeAsync()
    {
        App = ServiceApplication.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. Settings], ConfigureServices);
        ListenToBatchSizes(App.Services.GetRequiredService<IMeterFactory>());
        await App.StartAsync(TestContext.Current.CancellationToken);

        string address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address + "/");
        Client = new HttpClient { BaseAddress = BaseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SharedKey);
        Anonymous = new HttpClient { BaseAddress = BaseAddress };
        await WaitUntilReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        _listener?.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage response = await Anonymous.GetAsync(new Uri("v2/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The inference service did not become ready within 60 s.");
    }

    /// <summary>Listens to this host's batching instruments only (its meter factory), so parallel hosts do not mix.</summary>
    private void ListenToBatchSizes(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.Name && instrument.Meter.Scope == meterFactory
                    && instrument.Name is "ich.inference.batch.size" or "ich.inference.queue.depth" or "ich.inference.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "encoding" && tag.Value is string encoding)
                {
                    Finished.AddOrUpdate(encoding, 1, (_, count) => count + 1);
                }
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "ich.inference.queue.depth")
            {
                Interlocked.Add(ref _queueDepth, value);
                if (value > 0)
                {
                    Interlocked.Add(ref _enqueued, value);
                }

                return;
            }

            BatchSizes.Enqueue(value);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "provider")
                {
                    Providers.Enqueue(tag.Value as string);
                }
            }
        });
        _listener.Start();
    }
}
