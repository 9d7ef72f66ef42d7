using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Tests.Orchestration.Support;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Sweep;
using IchFunctions.Functions.Triggers.Sweep.Backfill;
using IchFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.Triggers.Sweep;

/// <summary>
/// The in-process Durable Task host with a fast stand-in registered under the name "ScoreStudy": it records
/// when each instance starts and ends its work (through two activities, so replays do not count twice)
/// and waits <see cref="WorkTime"/> in between. The sweep, its slot list and its checkpoint are the app's
/// own code, with blobs in Azurite in a container of this host's own.
/// </summary>
internal sealed class SweepTestHost : IAsyncDisposable
{
    public static readonly TimeSpan WorkTime = TimeSpan.FromMilliseconds(300);

    private readonly List<ServiceProvider> _providers = [];
    private readonly Uri _dicomWebRoot;
    private readonly string _container;
    private DurableTaskTestHost? _host;
    private int _running;
    private int _maxRunning;

    private SweepTestHost(Uri dicomWebRoot)
    {
        _dicomWebRoot = dicomWebRoot;
        _container = "sweep-" + Guid.NewGuid().ToString("N")[..12];
    }

    public DurableTaskClient Client => _host!.Client;

    /// <summary>Most stand-in ScoreStudy instances that were working at the same moment.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    /// <summary>How often each ScoreStudy instance ID started its work.</summary>
    public ConcurrentDictionary<string, int> Starts { get; } = new(StringComparer.Ordinal);

    /// <summary>Study UIDs of the requests the stand-in received, with the trigger name.</summary>
    public ConcurrentBag<(string Study, string Trigger)> Requests { get; } = [];

    public BlobContainerClient Results => new BlobServiceClient(TestServers.AzuriteConnectionString).GetBlobContainerClient(_container);

    public static async Task<SweepTestHost> StartAsync(Uri dicomWebRoot, int maxConcurrent)
    {
        var host = new SweepTestHost(dicomWebRoot) { MaxConcurrent = maxConcurrent };
        IServiceProvider backfillServices = host.CreateServices(new SweepLimits { FirstPollDelay = TimeSpan.FromMilliseconds(50), MaxPollDelay = TimeSpan.FromMilliseconds(200) });
        host._host = await DurableTestHosts.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<ScoreStudyRequest, string>(ScoreStudyNames.Orchestration, host.RunStandInAsync);
            registry.AddActivityFunc<string, int>("StandInEnter", (_, instanceId) => Task.FromResult(host.Enter(instanceId)));
            registry.AddActivityFunc<string, int>("StandInExit", (_, _) => Task.FromResult(Interlocked.Decrement(ref host._running)));
            registry.AddOrchestratorFunc<BackfillState, BackfillState>(BackfillOrchestration.Name, BackfillOrchestration.RunAsync);
            registry.AddActivityFunc<BackfillState, BackfillPassResult>(
                BackfillOrchestration.PassActivity, (_, state) => backfillServices.GetRequiredService<BackfillPass>().RunAsync(host.Client, state, CancellationToken.None));
        });
        return host;
    }

    public int MaxConcurrent { get; private init; }

    /// <summary>Creates a sweep with its own service provider, as a new worker would, sharing this host's blobs.</summary>
    public ChangeFeedSweep NewSweep(SweepLimits limits) => CreateServices(limits).GetRequiredService<ChangeFeedSweep>();

    public BackfillFunctions NewBackfillFunctions() => CreateServices(new SweepLimits()).GetRequiredService<BackfillFunctions>();

    public async Task<string> ModelVersionAsync() =>
        (await _providers[0].GetRequiredService<ModelRunnerProvider>().GetAsync(CancellationToken.None)).Contract.ModelVersion;

    public async Task<string> InstanceIdAsync(string studyUid) => ScoreStudyNames.InstanceId(null, studyUid, await ModelVersionAsync());

    /// <summary>Waits until no instance this host ran is pending or running.</summary>
    public async Task WaitForAllAsync(IEnumerable<string> instanceIds, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        foreach (string instanceId in instanceIds)
        {
            OrchestrationMetadata state = await Client.WaitForInstanceCompletionAsync(instanceId, deadline.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Results.DeleteIfExistsAsync();
    }

    private async Task<string> RunStandInAsync(TaskOrchestrationContext context, ScoreStudyRequest request)
    {
        await context.CallActivityAsync<int>("StandInEnter", context.InstanceId);
        if (!context.IsReplaying)
        {
            Requests.Add((request.StudyInstanceUid, request.Trigger));
        }

        await context.CreateTimer(WorkTime, CancellationToken.None);
        await context.CallActivityAsync<int>("StandInExit", context.InstanceId);
        return "scored";
    }

    private int Enter(string instanceId)
    {
        Starts.AddOrUpdate(instanceId, 1, (_, count) => count + 1);
        int running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        return running;
    }

    private ServiceProvider CreateServices(SweepLimits limits)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestServers.AzuriteConnectionString,
            ["DicomService:BaseUrl"] = new Uri(_dicomWebRoot, "v2/").AbsoluteUri,
            ["DicomService:TokenScope"] = "",
            ["DicomService:MaxRetryAttempts"] = "0",
            ["Inference:ModelPath"] = ScoreStudyHarness.DemoModel,
            ["Storage:ResultsContainer"] = _container,
            ["Sweep:MaxConcurrentOrchestrations"] = MaxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddIchFunctionsOptions(configuration);
        services.AddDicomServiceClient();
        services.AddScoreStudyServices(configuration);
        services.AddSweep(limits);
        services.AddTransient<BackfillFunctions>();
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        return provider;
    }
}
