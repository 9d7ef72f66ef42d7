using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers;
using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Functions.Triggers.Storage;
using IchFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>
/// The trigger functions with the app's own service registrations, on the in-process Durable Task host,
/// Azurite and Orthanc. Containers and queues carry a per-harness suffix and are deleted on dispose.
/// </summary>
public sealed class TriggerHarness : IAsyncDisposable
{
    /// <summary>Model version used when the test replaces the model with <see cref="FixedModelVersion"/>.</summary>
    public const string ModelVersion = "test-model-1";

    public static readonly string DemoModel = Path.Combine(TestData.RepositoryRoot, "models", "patchfcn-demo.onnx");

    private readonly ServiceProvider _services;

    private TriggerHarness(ServiceProvider services, DurableTaskTestHost host, LogLines logs)
    {
        _services = services;
        Host = host;
        Logs = logs;
    }

    public DurableTaskTestHost Host { get; }

    public DurableTaskClient Client => Host.Client;

    public IServiceProvider Services => _services;

    public LogLines Logs { get; }

    public StorageOptions Storage => _services.GetRequiredService<IOptions<StorageOptions>>().Value;

    public ScoringOptions Scoring => _services.GetRequiredService<IOptions<ScoringOptions>>().Value;

    public QueueServiceClient Queues => _services.GetRequiredService<QueueServiceClient>();

    public BlobServiceClient Blobs => _services.GetRequiredService<BlobServiceClient>();

    public DicomEventProcessor Processor => _services.GetRequiredService<DicomEventProcessor>();

    public StudyScheduler Scheduler => _services.GetRequiredService<StudyScheduler>();

    /// <summary>Creates a function class the way the Functions worker does, from the app's services.</summary>
    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    /// <summary>
    /// Starts the host. <paramref name="register"/> registers ScoreStudy (the real orchestration or a test
    /// stand-in); with <paramref name="realModel"/> false the model version is <see cref="ModelVersion"/> and
    /// no model is loaded.
    /// </summary>
    public static async Task<TriggerHarness> StartAsync(
        Action<DurableTaskRegistry, IServiceProvider> register, bool realModel, CancellationToken cancellationToken,
        IDictionary<string, string?>? extraSettings = null)
    {
        string suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestServers.AzuriteConnectionString,
            ["DicomService:BaseUrl"] = TestServers.DicomWebRoot.AbsoluteUri,
            ["DicomService:TokenScope"] = "",
            ["Inference:ModelPath"] = DemoModel,
            ["Storage:DicomEventsQueue"] = "dicom-events-" + suffix,
            ["Storage:IncomingContainer"] = "incoming-" + suffix,
            ["Storage:WorkContainer"] = "work-" + suffix,
            ["Storage:ResultsContainer"] = "results-" + suffix,
            ["Storage:AlertsQueue"] = "alerts-" + suffix,
            ["Scoring:OperatingPoint"] = "default",
            ["Scoring:QuietPeriodSeconds"] = "4",
        };
        foreach (KeyValuePair<string, string?> setting in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[setting.Key] = setting.Value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogLines();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddIchFunctionsOptions(configuration);
        services.AddDicomServiceClient();
        services.AddScoreStudyServices(configuration);
        if (!realModel)
        {
            services.AddSingleton<IModelVersionSource>(new FixedModelVersion(ModelVersion));
        }

        services.AddIchTriggers();
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        DurableTaskTestHost host = await DurableTestHosts.StartAsync(registry => register(registry, provider), cancellationToken: cancellationToken);
        return new TriggerHarness(provider, host, logs);
    }

    /// <summary>Every instance the host stores, whatever its state.</summary>
    public async Task<List<OrchestrationMetadata>> AllInstancesAsync(CancellationToken cancellationToken)
    {
        var instances = new List<OrchestrationMetadata>();
        await foreach (OrchestrationMetadata instance in Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }).WithCancellation(cancellationToken))
        {
            instances.Add(instance);
        }

        return instances;
    }

    public async ValueTask DisposeAsync()
    {
        StorageOptions storage = Storage;
        await Host.DisposeAsync();
        foreach (string queue in new[] { storage.DicomEventsQueue, storage.DicomEventsQueue + PoisonMessageWriter.Suffix, storage.AlertsQueue })
        {
            await Queues.GetQueueClient(queue).DeleteIfExistsAsync();
        }

        foreach (string container in new[] { storage.IncomingContainer, storage.WorkContainer, storage.ResultsContainer })
        {
            await Blobs.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }

        await _services.DisposeAsync();
    }
}
