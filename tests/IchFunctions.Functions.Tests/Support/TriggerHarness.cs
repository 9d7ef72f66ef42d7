using Azure.Storage.Queues;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Metadata;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Functions.Triggers.Storage;
using IchFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>
/// The trigger classes wired to real components: the in-process Durable Task host, Azurite for queues and
/// Orthanc (through QIDO-RS) for metadata. Queue names are unique per harness and deleted on dispose.
/// </summary>
public sealed class TriggerHarness : IAsyncDisposable
{
    public const string ModelVersion = "test-model-1";

    private readonly HttpClient _http = new();

    private TriggerHarness(DurableTaskTestHost host)
    {
        Host = host;
        string suffix = Guid.NewGuid().ToString("N")[..12];
        Storage = new StorageOptions { DicomEventsQueue = $"dicom-events-{suffix}", WorkContainer = $"work-{suffix}", IncomingContainer = $"incoming-{suffix}", ResultsContainer = $"results-{suffix}" };
        Queues = new QueueServiceClient(TestServers.AzuriteConnectionString);
        var dicomService = Microsoft.Extensions.Options.Options.Create(new DicomServiceOptions { BaseUrl = TestServers.DicomWebRoot, TokenScope = "" });
        Metadata = new QidoMetadataLookup(_http, dicomService);
        Scheduler = new StudyScheduler(NullLogger<StudyScheduler>.Instance);
        Processor = new DicomEventProcessor(Metadata, new FixedModelVersion(ModelVersion), Scheduler,
            Microsoft.Extensions.Options.Options.Create(Scoring), NullLogger<DicomEventProcessor>.Instance);
        PoisonLog = new ListLogger<PoisonMessageWriter>();
        EventsFunction = new DicomEventsFunction(Processor, new PoisonMessageWriter(Queues, PoisonLog),
            Microsoft.Extensions.Options.Options.Create(Storage), NullLogger<DicomEventsFunction>.Instance);
    }

    public DurableTaskTestHost Host { get; }

    public DurableTaskClient Client => Host.Client;

    public StorageOptions Storage { get; }

    public ScoringOptions Scoring { get; } = new() { OperatingPoint = "default", QuietPeriodSeconds = 4 };

    public QueueServiceClient Queues { get; }

    public QidoMetadataLookup Metadata { get; }

    public StudyScheduler Scheduler { get; }

    public DicomEventProcessor Processor { get; }

    public ListLogger<PoisonMessageWriter> PoisonLog { get; }

    public DicomEventsFunction EventsFunction { get; }

    public static async Task<TriggerHarness> StartAsync(Action<DurableTaskRegistry> register, CancellationToken cancellationToken)
    {
        DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(register, new DurableTaskTestHostOptions(), cancellationToken);
        return new TriggerHarness(host);
    }

    /// <summary>Every instance the host knows, whatever its state.</summary>
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
        await Queues.GetQueueClient(Storage.DicomEventsQueue + PoisonMessageWriter.Suffix).DeleteIfExistsAsync();
        await Host.DisposeAsync();
        _http.Dispose();
    }
}
