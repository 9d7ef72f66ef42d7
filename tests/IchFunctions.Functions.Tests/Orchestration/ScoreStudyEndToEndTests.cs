using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Orchestration.Support;
using IchFunctions.Testing;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>
/// ScoreStudy end to end on the in-process test host with in-process ONNX Runtime, Azurite and Orthanc, on
/// the real GE head series with a simulated hemorrhage inserted, so the alert path runs too.
/// </summary>
public sealed class ScoreStudyEndToEndTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ScoreStudy_PositiveStudy_WritesOutputsOnceAndAlerts()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_001, hemorrhage: true, cancellationToken);
        await using var webhook = new WebhookReceiver();
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(
            TestServers.DicomWebRoot, extraSettings: new Dictionary<string, string?> { ["Alerts:WebhookUrl"] = webhook.Url.AbsoluteUri });
        var request = new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" };
        string instanceId = ScoreStudyNames.InstanceId(null, study.StudyInstanceUid, "test-" + Guid.NewGuid().ToString("N"));

        OrchestrationMetadata first = await harness.RunAsync(request, instanceId, RunTimeout);
        ScoreStudyOutcome outcome = ReadOutcome(first);

        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        Assert.True(outcome.Positive, $"The exam with an inserted hemorrhage scored {outcome.ExamProbability} at operating point {outcome.OperatingPoint}.");
        Assert.True(outcome.HemorrhageVolumeMl > 0);
        Assert.Equal(
            new ScoreStudyProgress(ScoreStudyStage.Completed, 1, 1),
            JsonSerializer.Deserialize<ScoreStudyProgress>(first.SerializedCustomStatus!));

        IReadOnlyList<(string Modality, string SopInstanceUid)> instances = await study.ListInstancesAsync(cancellationToken);
        Assert.Equal(outcome.SegmentationSopInstanceUid, Assert.Single(instances, i => i.Modality == "SEG").SopInstanceUid);
        Assert.Equal(outcome.ReportSrSopInstanceUid, Assert.Single(instances, i => i.Modality == "SR").SopInstanceUid);
        Assert.Equal(study.InstanceCount, instances.Count(i => i.Modality == "CT"));

        List<string> results = await ListAsync(harness);
        Assert.Contains(outcome.ReportBlob!, results);
        Assert.Contains(results, name => name.EndsWith(".png", StringComparison.Ordinal));
        using JsonDocument report = JsonDocument.Parse((await harness.Results.GetBlobClient(outcome.ReportBlob).DownloadContentAsync(cancellationToken)).Value.Content.ToString());
        Assert.Contains(outcome.SegmentationSopInstanceUid!, report.RootElement.GetRawText(), StringComparison.Ordinal);

        QueueMessage[] alerts = (await harness.Alerts.ReceiveMessagesAsync(maxMessages: 10, cancellationToken: cancellationToken)).Value;
        using JsonDocument alert = JsonDocument.Parse(Assert.Single(alerts).Body.ToString());
        Assert.Equal(study.StudyInstanceUid, alert.RootElement.GetProperty("studyInstanceUid").GetString());
        Assert.Equal(outcome.SegmentationSopInstanceUid, alert.RootElement.GetProperty("segmentationSopInstanceUid").GetString());

        using JsonDocument posted = JsonDocument.Parse(Assert.Single(webhook.Bodies));
        Assert.Equal(alert.RootElement.GetProperty("alertId").GetString(), posted.RootElement.GetProperty("alertId").GetString());
        Assert.Empty(await harness.ListWorkBlobsAsync());

        // A rerun finds its outputs already stored: still one SEG and one SR, the same UIDs.
        await harness.Client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        ScoreStudyOutcome second = ReadOutcome(await harness.RunAsync(request, instanceId, RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Scored, second.Kind);
        Assert.Equal(outcome.SegmentationSopInstanceUid, second.SegmentationSopInstanceUid);
        Assert.Equal(outcome.ExamProbability, second.ExamProbability);
        instances = await study.ListInstancesAsync(cancellationToken);
        Assert.Single(instances, i => i.Modality == "SEG");
        Assert.Single(instances, i => i.Modality == "SR");
        Assert.Empty(await harness.ListWorkBlobsAsync());
        Assert.DoesNotContain(harness.LogLines, line => line.Contains("SYNTHETIC^HEAD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScoreStudy_RealGeFiles_ScoredWithOutputs()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeCopyAsync(null, cancellationToken);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);

        ScoreStudyOutcome outcome = ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" }, ScoreStudyRemoteEngineTests.NewInstanceId(study), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        Assert.InRange(outcome.ExamProbability!.Value, 0, 1);
        IReadOnlyList<(string Modality, string SopInstanceUid)> instances = await study.ListInstancesAsync(cancellationToken);
        Assert.Single(instances, i => i.Modality == "SEG");
        Assert.Single(instances, i => i.Modality == "SR");
        Assert.Contains(outcome.ReportBlob!, await ListAsync(harness));
        Assert.Equal(outcome.Positive == true ? 1 : 0, (await harness.Alerts.PeekMessagesAsync(10, cancellationToken)).Value.Length);
        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    [Fact]
    public async Task ScoreStudy_QuietPeriod_WaitsUntilInstancesStopArriving()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_005, hemorrhage: false, cancellationToken);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);
        string instanceId = ScoreStudyRemoteEngineTests.NewInstanceId(study);
        await harness.Client.ScheduleNewOrchestrationInstanceAsync(
            ScoreStudyNames.Orchestration,
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, QuietPeriodSeconds = 3, Trigger = "test" },
            new Microsoft.DurableTask.StartOrchestrationOptions { InstanceId = instanceId },
            cancellationToken);

        // Two more instances arrive 1 s apart; each restarts the 3 s quiet period.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int arrival = 1; arrival <= 2; arrival++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await harness.Client.RaiseEventAsync(instanceId, ScoreStudyNames.InstanceArrivedEvent, "1.2.3." + arrival, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        OrchestrationMetadata? waiting = await harness.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        Assert.Equal(
            new ScoreStudyProgress(ScoreStudyStage.WaitingForInstances, 2, 0),
            JsonSerializer.Deserialize<ScoreStudyProgress>(waiting!.SerializedCustomStatus!));

        using var deadline = new CancellationTokenSource(RunTimeout);
        ScoreStudyOutcome outcome = ReadOutcome(await harness.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token));

        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(5), $"The run ended {clock.Elapsed} after it started, before the quiet period after the last arrival.");
        Assert.Equal(outcome.Positive == true ? 1 : 0, (await harness.Alerts.PeekMessagesAsync(10, cancellationToken)).Value.Length);
    }

    /// <summary>
    /// A zip upload is scored over two chunks, and the zip is deleted as soon as selection has ended: the chunks
    /// must read the copies of their instances that selection put into the work container, not the zip.
    /// </summary>
    [Fact]
    public async Task ScoreStudy_ZipBlob_WritesOutputsToResultsContainer()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        List<IchFunctions.Dicom.DicomDataset> series = TestStudy.CreateGeWithHemorrhage(seed: 91_006, hemorrhage: true, cancellationToken);
        string study = series[0].GetString(IchFunctions.Dicom.DicomTags.StudyInstanceUid)!;
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            for (int i = 0; i < series.Count; i++)
            {
                byte[] file = await TestStudy.ToPart10Async(series[i], cancellationToken);
                await using Stream entry = archive.CreateEntry($"exam/IM{i:D4}").Open();
                await entry.WriteAsync(file, cancellationToken);
            }
        }

        var incoming = new Azure.Storage.Blobs.BlobContainerClient(TestServers.AzuriteConnectionString, "incoming-" + Guid.NewGuid().ToString("N")[..12]);
        bool zipDeleted = false;
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot, afterActivity: async activity =>
        {
            if (activity == ScoreStudyActivityNames.SelectSeries)
            {
                zipDeleted = (await incoming.DeleteBlobIfExistsAsync("uploads/exam.zip", cancellationToken: cancellationToken)).Value;
            }
        });
        await incoming.CreateAsync(cancellationToken: cancellationToken);
        try
        {
            zip.Position = 0;
            await incoming.UploadBlobAsync("uploads/exam.zip", zip, cancellationToken);
            var request = new ScoreStudyRequest
            {
                StudyInstanceUid = study,
                Blob = new BlobExamReference { Container = incoming.Name, BlobName = "uploads/exam.zip" },
                Trigger = "test",
            };

            ScoreStudyOutcome outcome = ReadOutcome(await harness.RunAsync(request, ScoreStudyNames.InstanceId(null, study, "test"), RunTimeout));

            Assert.True(zipDeleted, "The zip was not there to delete after selection.");
            Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
            List<string> results = await ListAsync(harness);
            string report = Assert.IsType<string>(outcome.ReportBlob);
            string folder = report[..(report.LastIndexOf('/') + 1)];
            Assert.Contains(folder + "hemorrhage-seg.dcm", results);
            Assert.Contains(folder + "hemorrhage-sr.dcm", results);
            Assert.Contains(report, results);
            Assert.Empty(await harness.ListWorkBlobsAsync());
        }
        finally
        {
            await incoming.DeleteAsync(cancellationToken: CancellationToken.None);
        }
    }

    internal static ScoreStudyOutcome ReadOutcome(OrchestrationMetadata metadata)
    {
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"ScoreStudy ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorType} {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<ScoreStudyOutcome>()!;
    }

    private static async Task<List<string>> ListAsync(ScoreStudyHarness harness)
    {
        var names = new List<string>();
        await foreach (BlobItem blob in harness.Results.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
