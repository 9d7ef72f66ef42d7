using System.Text.Json;
using IchFunctions.Functions.Triggers.Sweep;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Testing;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Tests.Triggers.Sweep;

/// <summary>
/// The scheduled sweep against a change feed double, the in-process Durable Task host with a stand-in
/// ScoreStudy that records how many instances work at once, and Azurite for the checkpoint and slot blobs.
/// </summary>
public sealed class ChangeFeedSweepTests
{
    private static readonly SweepLimits FastPolling = new() { FirstPollDelay = TimeSpan.FromMilliseconds(50), MaxPollDelay = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Sweep_FiftyStudiesLimitFour_AtMostFourRun()
    {
        var service = new SweepDicomService();
        string[] studies = [.. Enumerable.Range(1, 50).Select(SweepDicomService.StudyUid)];
        foreach (string study in studies)
        {
            service.AddSeries(study, "CT", instances: 2);
        }

        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 4);

        // 50 studies of at least 300 ms each need 3.75 s or more to pass through 4 slots, so a 3 s budget
        // (which also covers loading the model) ends the first run early.
        SweepRunResult first = await host.NewSweep(FastPolling with { RunBudget = TimeSpan.FromSeconds(3) }).RunAsync(host.Client, TestContext.Current.CancellationToken);
        SweepRunResult second = await host.NewSweep(FastPolling with { RunBudget = TimeSpan.FromMinutes(3) }).RunAsync(host.Client, TestContext.Current.CancellationToken);
        string[] instanceIds = await Task.WhenAll(studies.Select(host.InstanceIdAsync));
        await host.WaitForAllAsync(instanceIds, TimeSpan.FromMinutes(2));
        SweepRunResult third = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);

        Assert.NotEqual(SweepStopReason.FeedEnd, first.StopReason);
        Assert.InRange(first.Started, 1, 49);
        Assert.Equal(SweepStopReason.FeedEnd, second.StopReason);
        Assert.Equal(50, first.Started + second.Started);
        Assert.InRange(host.MaxRunning, 2, 4);
        Assert.Equal(instanceIds.Order(), host.Starts.Keys.Order());
        Assert.All(host.Starts, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(0, third.Entries);
        Assert.Equal(0, third.Started);
        Assert.Equal(100, third.Checkpoint?.Sequence);
        Assert.All(host.Requests, request => Assert.Equal(ChangeFeedSweep.TriggerName, request.Trigger));
    }

    [Fact]
    public async Task Sweep_NonCtSeriesAndDeletes_StartNothing()
    {
        var service = new SweepDicomService();
        string ct = SweepDicomService.StudyUid(1);
        string mr = SweepDicomService.StudyUid(2);
        string deleted = SweepDicomService.StudyUid(3);
        string replaced = SweepDicomService.StudyUid(4);
        service.AddSeries(mr, "MR", instances: 2);
        service.AddSeries(deleted, "CT", instances: 2, action: "create", state: "deleted");
        service.AddSeries(replaced, "CT", instances: 1, action: "update", state: "current");
        service.AddSeries(ct, "SEG", instances: 1);
        service.AddSeries(ct, "SR", instances: 1);
        service.AddSeries(ct, "CT", instances: 3);

        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 4);
        SweepRunResult result = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);
        string ctInstance = await host.InstanceIdAsync(ct);
        await host.WaitForAllAsync([ctInstance], TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.Started);
        Assert.Equal(10, result.Entries);
        Assert.Equal(10, result.Checkpoint?.Sequence);
        Assert.Equal([ctInstance], host.Starts.Keys);
        Assert.Null(await host.Client.GetInstanceAsync(await host.InstanceIdAsync(mr), TestContext.Current.CancellationToken));
        Assert.Null(await host.Client.GetInstanceAsync(await host.InstanceIdAsync(deleted), TestContext.Current.CancellationToken));
        Assert.Null(await host.Client.GetInstanceAsync(await host.InstanceIdAsync(replaced), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sweep_FailureMidRun_KeepsCheckpointBefore()
    {
        var service = new SweepDicomService();
        string[] studies = [.. Enumerable.Range(1, 5).Select(SweepDicomService.StudyUid)];
        foreach (string study in studies)
        {
            service.AddSeries(study, "CT", instances: 2);
        }

        service.FailingStudies.Add(studies[2]);
        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 4);

        await Assert.ThrowsAsync<DicomWebException>(() => host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken));
        SweepCheckpoint? afterFailure = await ReadCheckpointAsync(host);
        service.FailingStudies.Clear();
        SweepRunResult retry = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);
        string[] instanceIds = await Task.WhenAll(studies.Select(host.InstanceIdAsync));
        await host.WaitForAllAsync(instanceIds, TimeSpan.FromMinutes(1));

        Assert.Equal(service.LastSequenceOf(studies[1]) - 1, afterFailure?.Sequence);
        Assert.Equal(3, retry.Started);
        Assert.Equal(service.LastSequenceOf(studies[4]), retry.Checkpoint?.Sequence);
        Assert.All(host.Starts, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(5, host.Starts.Count);
    }

    [Fact]
    public async Task Sweep_FailedInstanceWithoutNewerData_IsKept()
    {
        var service = new SweepDicomService();
        string study = SweepDicomService.StudyUid(1);
        service.AddSeries(study, "CT", instances: 1);
        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 4);
        string instanceId = await host.InstanceIdAsync(study);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            "ScoreStudy", new IchFunctions.Functions.Orchestration.ScoreStudyRequest { StudyInstanceUid = study }, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), TestContext.Current.CancellationToken);
        await host.Client.TerminateInstanceAsync(instanceId, cancellation: TestContext.Current.CancellationToken);
        await host.Client.WaitForInstanceCompletionAsync(instanceId, TestContext.Current.CancellationToken);

        SweepRunResult result = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);
        OrchestrationMetadata? instance = await host.Client.GetInstanceAsync(instanceId, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Started);
        Assert.Equal(1, result.Checkpoint?.Sequence);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, instance?.RuntimeStatus);
    }

    [Fact]
    public async Task Sweep_FailedInstanceThenNewerInstance_IsRerun()
    {
        var service = new SweepDicomService();
        string study = SweepDicomService.StudyUid(1);
        service.AddSeries(study, "CT", instances: 1);
        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 4);
        string instanceId = await host.InstanceIdAsync(study);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            "ScoreStudy", new IchFunctions.Functions.Orchestration.ScoreStudyRequest { StudyInstanceUid = study }, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), TestContext.Current.CancellationToken);
        await host.Client.TerminateInstanceAsync(instanceId, cancellation: TestContext.Current.CancellationToken);
        await host.Client.WaitForInstanceCompletionAsync(instanceId, TestContext.Current.CancellationToken);
        SweepRunResult kept = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);

        service.AddSeries(study, "CT", instances: 1, storedAt: DateTimeOffset.UtcNow.AddMinutes(1));
        SweepRunResult rerun = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);
        await host.WaitForAllAsync([instanceId], TimeSpan.FromMinutes(1));

        Assert.Equal(0, kept.Started);
        Assert.Equal(1, rerun.Started);
        Assert.Equal(2, rerun.Checkpoint?.Sequence);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.GetInstanceAsync(instanceId, TestContext.Current.CancellationToken))?.RuntimeStatus);
    }

    [Fact]
    public async Task Sweep_TwoOverlappingRuns_ShareSlotsAndCheckpoint()
    {
        var service = new SweepDicomService();
        string[] studies = [.. Enumerable.Range(1, 12).Select(SweepDicomService.StudyUid)];
        foreach (string study in studies)
        {
            service.AddSeries(study, "CT", instances: 1);
        }

        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 2);

        SweepRunResult[] overlapping = await Task.WhenAll(
            host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken),
            host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken));
        SweepRunResult next = await host.NewSweep(FastPolling).RunAsync(host.Client, TestContext.Current.CancellationToken);
        string[] instanceIds = await Task.WhenAll(studies.Select(host.InstanceIdAsync));
        await host.WaitForAllAsync(instanceIds, TimeSpan.FromMinutes(2));

        Assert.Contains(overlapping, result => result.StopReason == SweepStopReason.CheckpointConflict);
        Assert.Equal(12, overlapping.Sum(result => result.Started) + next.Started);
        Assert.Equal(SweepStopReason.FeedEnd, next.StopReason);
        Assert.Equal(12, next.Checkpoint?.Sequence);
        Assert.InRange(host.MaxRunning, 1, 2);
        Assert.Equal(instanceIds.Order(), host.Starts.Keys.Order());
        Assert.All(host.Starts, pair => Assert.Equal(1, pair.Value));
    }

    private static async Task<SweepCheckpoint?> ReadCheckpointAsync(SweepTestHost host)
    {
        var blob = host.Results.GetBlobClient(SweepStore.CheckpointBlobName);
        if (!await blob.ExistsAsync(TestContext.Current.CancellationToken))
        {
            return null;
        }

        var content = await blob.DownloadContentAsync(TestContext.Current.CancellationToken);
        return content.Value.Content.ToObjectFromJson<SweepCheckpoint>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}
