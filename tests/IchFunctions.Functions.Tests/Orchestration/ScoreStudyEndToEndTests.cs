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
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot);
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
