using System.Diagnostics;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Orchestration.Support;
using IchFunctions.Testing;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>
/// ScoreStudy against faults of the DICOMweb server and of the study: a short outage is retried, and bad
/// studies end with a reason code, no SEG or SR, and an empty work container.
/// </summary>
public sealed class ScoreStudyFaultTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ScoreStudy_DicomServerDownForSeconds_RetriesAndCompletes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_011, hemorrhage: true, cancellationToken);
        await using var proxy = new FaultProxy(TestServers.DicomWebRoot);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(proxy.Rewrite(TestServers.DicomWebRoot));
        string instanceId = ScoreStudyRemoteEngineTests.NewInstanceId(study);
        await harness.Client.ScheduleNewOrchestrationInstanceAsync(
            ScoreStudyNames.Orchestration, new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" },
            new Microsoft.DurableTask.StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);

        // Once slices are being fetched, the server is unreachable until a request met the outage and 3 s passed.
        await WaitForStageAsync(harness, instanceId, ScoreStudyStage.Preprocessing, cancellationToken);
        proxy.SetMode(ProxyMode.Reset);
        var outage = Stopwatch.StartNew();
        while ((proxy.Resets == 0 || outage.Elapsed < TimeSpan.FromSeconds(3)) && outage.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }

        proxy.SetMode(ProxyMode.Forward);
        using var deadline = new CancellationTokenSource(RunTimeout);
        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(
            await harness.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token));

        Assert.True(proxy.Resets > 0, "No request reached the server during the outage, so nothing was retried.");
        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        Assert.Single(await study.ListInstancesAsync(cancellationToken), i => i.Modality == "SEG");
        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    [Fact]
    public async Task ScoreStudy_MrStudy_EndsWithNoEligibleSeries()
    {
        await using TestStudy study = await TestStudy.StoreGeCopyAsync(
            (dataset, _) =>
            {
                dataset.SetStrings(DicomTags.Modality, DicomVR.CS, "MR");
                dataset.SetStrings(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.4");
            },
            TestContext.Current.CancellationToken);

        ScoreStudyOutcome outcome = await RunToEndWithoutOutputsAsync(study);

        Assert.Equal(ScoreStudyOutcomeKind.NoEligibleSeries, outcome.Kind);
        Assert.Equal(ReasonCodes.NoEligibleSeries, outcome.ReasonCode);
        Assert.Contains("(MR, 28 instances)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreStudy_StudyWithOnlySr_EndsWithNoEligibleSeries()
    {
        await using TestStudy study = await TestStudy.StoreGeCopyAsync(
            (dataset, _) =>
            {
                dataset.SetStrings(DicomTags.Modality, DicomVR.CS, "SR");
                dataset.SetStrings(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.11");
                dataset.Remove(DicomTags.PixelData);
            },
            TestContext.Current.CancellationToken);

        ScoreStudyOutcome outcome = await RunToEndWithoutOutputsAsync(study);

        Assert.Equal(ScoreStudyOutcomeKind.NoEligibleSeries, outcome.Kind);
        Assert.Contains("(SR, 28 instances)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreStudy_TruncatedPixelData_FailsAsInstanceUnreadable()
    {
        await using TestStudy study = await TestStudy.StoreGeCopyAsync(
            (dataset, index) =>
            {
                if (index == 20)
                {
                    DicomElement pixels = dataset.Find(DicomTags.PixelData)!;
                    dataset.Set(new DicomElement(DicomTags.PixelData, pixels.VR, pixels.Value[..(pixels.Value.Length / 2)]));
                }
            },
            TestContext.Current.CancellationToken);

        ScoreStudyOutcome outcome = await RunToEndWithoutOutputsAsync(study);

        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.InstanceUnreadable, outcome.ReasonCode);
    }

    [Fact]
    public async Task ScoreStudy_UnknownStudy_FailsAsStudyNotFound()
    {
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);
        string study = IchFunctions.Dicom.Uids.DicomUidGenerator.NewUid();

        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study, Trigger = "test" }, ScoreStudyNames.InstanceId(null, study, "test"), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.StudyNotFound, outcome.ReasonCode);
        Assert.Contains(study, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    [Fact]
    public async Task ScoreStudy_UnknownOperatingPoint_FailsAsModelError()
    {
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);
        string study = IchFunctions.Dicom.Uids.DicomUidGenerator.NewUid();

        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study, OperatingPoint = "very-sensitive", Trigger = "test" },
            ScoreStudyNames.InstanceId(null, study, "test"), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.ModelError, outcome.ReasonCode);
        Assert.Contains("very-sensitive", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreStudy_SeriesNotInStudy_FailsAsStudyNotFound()
    {
        await using TestStudy study = await TestStudy.StoreGeCopyAsync(null, TestContext.Current.CancellationToken);
        string series = IchFunctions.Dicom.Uids.DicomUidGenerator.NewUid();

        ScoreStudyOutcome outcome = await RunToEndWithoutOutputsAsync(study, series);

        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.StudyNotFound, outcome.ReasonCode);
        Assert.Contains(series, outcome.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs ScoreStudy on the study and checks that it wrote nothing and left no work blobs.</summary>
    private static async Task<ScoreStudyOutcome> RunToEndWithoutOutputsAsync(TestStudy study, string? seriesInstanceUid = null)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);
        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, SeriesInstanceUid = seriesInstanceUid, Trigger = "test" },
            ScoreStudyRemoteEngineTests.NewInstanceId(study), RunTimeout));

        IReadOnlyList<(string Modality, string SopInstanceUid)> instances = await study.ListInstancesAsync(cancellationToken);
        Assert.DoesNotContain(instances, i => i.Modality == "SEG");
        Assert.Equal(study.InstanceCount, instances.Count);
        Assert.Empty(await harness.ListWorkBlobsAsync());
        Assert.Null(outcome.SegmentationSopInstanceUid);
        return outcome;
    }

    private static async Task WaitForStageAsync(ScoreStudyHarness harness, string instanceId, ScoreStudyStage stage, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            OrchestrationMetadata? state = await harness.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (state?.SerializedCustomStatus is { } status && JsonSerializer.Deserialize<ScoreStudyProgress>(status)!.Stage >= stage)
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"ScoreStudy {instanceId} did not reach stage {stage} within 60 s.");
    }
}
