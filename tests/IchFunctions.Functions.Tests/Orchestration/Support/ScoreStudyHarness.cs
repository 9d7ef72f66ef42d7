using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Imaging.Inference.Remote;
using IchFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.Orchestration.Support;

/// <summary>
/// ScoreStudy on the in-process Durable Task test host, with the app's real services: Azurite for blobs and
/// queues and a DICOMweb server. Each harness owns its own work and results containers and alerts queue, and
/// deletes them when disposed, so tests running in parallel never see each other's blobs.
/// </summary>
public sealed class ScoreStudyHarness : IAsyncDisposable
{
    public static readonly string DemoModel = Path.Combine(TestData.RepositoryRoot, "models", "patchfcn-demo.onnx");

    private readonly ServiceProvider _services;
    private readonly DurableTaskTestHost _host;

    private ScoreStudyHarness(ServiceProvider services, DurableTaskTestHost host, string suffix, List<string> logLines)
    {
        LogLines = logLines;
        _services = services;
        _host = host;
        var blobs = new BlobServiceClient(TestServers.AzuriteConnectionString);
        Work = blobs.GetBlobContainerClient("work-" + suffix);
        Results = blobs.GetBlobContainerClient("results-" + suffix);
        Alerts = new QueueClient(TestServers.AzuriteConnectionString, "alerts-" + suffix);
    }

    public DurableTaskClient Client => _host.Client;

    /// <summary>The app's services the activities run with.</summary>
    public IServiceProvider Services => _services;

    public BlobContainerClient Work { get; }

    public BlobContainerClient Results { get; }

    public QueueClient Alerts { get; }

    /// <summary>Log lines of every activity and the orchestration, to check what was logged.</summary>
    public List<string> LogLines { get; }

    /// <summary>Starts the host with the app's settings: in-process scoring with the demo model, or <paramref name="inferenceEndpoint"/>.</summary>
    public static async Task<ScoreStudyHarness> StartAsync(
        Uri dicomWebRoot, Uri? inferenceEndpoint = null, Func<RemoteModelOptions, RemoteModelOptions>? configureRemote = null,
        IDictionary<string, string?>? extraSettings = null, Func<string, Task>? afterActivity = null)
    {
        string suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestServers.AzuriteConnectionString,
            ["DicomService:BaseUrl"] = dicomWebRoot.AbsoluteUri,
            ["DicomService:TokenScope"] = "",
            ["Inference:ModelPath"] = DemoModel,
            ["Inference:Endpoint"] = inferenceEndpoint?.AbsoluteUri ?? "",
            ["Inference:ModelName"] = inferenceEndpoint is null ? "" : "patchfcn-demo",
            ["Storage:WorkContainer"] = "work-" + suffix,
            ["Storage:ResultsContainer"] = "results-" + suffix,
            ["Storage:AlertsQueue"] = "alerts-" + suffix,
            ["Scoring:OperatingPoint"] = "default",
            ["Scoring:ChunkSlices"] = "16",
            ["Scoring:QuietPeriodSeconds"] = "0",
        };
        foreach (KeyValuePair<string, string?> setting in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[setting.Key] = setting.Value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logLines = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new ListLoggerProvider(logLines)).SetMinimumLevel(LogLevel.Information));
        services.AddIchFunctionsOptions(configuration);
        services.AddDicomServiceClient();
        services.AddScoreStudyServices(configuration);
        if (configureRemote is not null)
        {
            services.AddSingleton(configureRemote);
        }

        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        DurableTaskTestHost host = await DurableTestHosts.StartAsync(
            registry => registry.AddScoreStudy(provider, afterActivity: afterActivity), provider.GetRequiredService<ILoggerFactory>());
        return new ScoreStudyHarness(provider, host, suffix, logLines);
    }

    /// <summary>Runs one instance to its end and returns its metadata with the output.</summary>
    public async Task<OrchestrationMetadata> RunAsync(ScoreStudyRequest request, string instanceId, TimeSpan timeout)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(
            ScoreStudyNames.Orchestration, request, new StartOrchestrationOptions { InstanceId = instanceId });
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            OrchestrationMetadata? state = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            throw new TimeoutException($"ScoreStudy {instanceId} did not finish within {timeout}; last status {state?.RuntimeStatus}, custom status {state?.SerializedCustomStatus}.");
        }
    }

    /// <summary>Names of every blob left in the work container.</summary>
    public async Task<List<string>> ListWorkBlobsAsync()
    {
        var names = new List<string>();
        if (!await Work.ExistsAsync())
        {
            return names;
        }

        await foreach (BlobItem blob in Work.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _services.DisposeAsync();
        await Work.DeleteIfExistsAsync();
        await Results.DeleteIfExistsAsync();
        await Alerts.DeleteIfExistsAsync();
    }

    /// <summary>Keeps every formatted log line, so tests can check the app logs no patient data.</summary>
    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{logLevel} {category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
