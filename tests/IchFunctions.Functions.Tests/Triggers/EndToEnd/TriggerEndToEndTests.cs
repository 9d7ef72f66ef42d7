using System.IO.Compression;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Orchestration;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Functions.Triggers.Uploads;
using IchFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.Triggers.EndToEnd;

/// <summary>
/// The triggers with the real ScoreStudy orchestration and activities, in-process ONNX Runtime with the
/// bundled demonstration model, Azurite and Orthanc, on the real GE head CT series (28 slices).
/// </summary>
public sealed class TriggerEndToEndTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GeSeriesEvents_AllFormatsAndDuplicates_WriteOneSeg()
    {
        await using StoredStudy study = await StoredStudy.CreateAsync(GeFiles(), Cancellation);
        await study.StoreAsync(Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync((registry, services) => registry.AddScoreStudy(services), realModel: true, Cancellation,
            new Dictionary<string, string?> { ["Scoring:QuietPeriodSeconds"] = "3" });

        var random = new Random(41);
        (EventSchema Schema, bool Base64)[] formats = [(EventSchema.EventGrid, false), (EventSchema.EventGrid, true), (EventSchema.CloudEvents, false), (EventSchema.CloudEvents, true)];
        var messages = study.Instances
            .Select((instance, index) => DicomEventMessages.ImageCreated(formats[index % 4].Schema, formats[index % 4].Base64,
                study.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, DateTimeOffset.UtcNow, sequence: index + 1))
            .ToList();
        messages.AddRange(Enumerable.Range(0, 6).Select(_ => messages[random.Next(messages.Count)]));
        messages = messages.OrderBy(_ => random.Next()).ToList();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Cancellation },
            async (text, token) => await harness.Create<DicomEventsFunction>().RunAsync(QueueMessageOf(text), harness.Client, token));

        OrchestrationMetadata run = await WaitAsync(harness, Assert.Single(await harness.AllInstancesAsync(Cancellation)).InstanceId);
        ScoreStudyOutcome outcome = run.ReadOutputAs<ScoreStudyOutcome>()!;
        Assert.True(outcome.Kind == ScoreStudyOutcomeKind.Scored, $"{outcome.Kind} {outcome.ReasonCode}: {outcome.Message}");
        string[] segs = await SopInstancesAsync(study.StudyInstanceUid, "SEG");
        Assert.Equal([outcome.SegmentationSopInstanceUid!], segs);

        // The SEG the run stored raises its own event: it starts nothing.
        string segSeries = (await SeriesAsync(study.StudyInstanceUid)).Single(s => s.Modality == "SEG").SeriesInstanceUid;
        string segEvent = DicomEventMessages.ImageCreated(EventSchema.EventGrid, false, study.StudyInstanceUid, segSeries, segs[0], DateTimeOffset.UtcNow);
        await harness.Create<DicomEventsFunction>().RunAsync(QueueMessageOf(segEvent), harness.Client, Cancellation);

        OrchestrationMetadata after = Assert.Single(await harness.AllInstancesAsync(Cancellation));
        Assert.Equal(run.CreatedAt, after.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Single(await SopInstancesAsync(study.StudyInstanceUid, "SEG"));
    }

    [Fact]
    public async Task ZipAndFileByFileUploads_EachWriteOneResultSet()
    {
        await using StoredStudy zipped = await StoredStudy.CreateAsync(GeFiles(), Cancellation);
        await using StoredStudy single = await StoredStudy.CreateAsync(GeFiles(), Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync((registry, services) => registry.AddScoreStudy(services), realModel: true, Cancellation,
            new Dictionary<string, string?> { ["Scoring:QuietPeriodSeconds"] = "3" });
        UploadProcessor uploads = harness.Services.GetRequiredService<UploadProcessor>();
        BlobContainerClient incoming = harness.Blobs.GetBlobContainerClient(harness.Storage.IncomingContainer);
        await incoming.CreateIfNotExistsAsync(cancellationToken: Cancellation);

        // The zip is stored in the incoming container first, because the run reads it from there.
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((_, _, string path) in zipped.Instances)
            {
                archive.CreateEntryFromFile(path, Path.GetFileName(path));
            }
        }

        zip.Position = 0;
        await incoming.UploadBlobAsync("exam.zip", zip, Cancellation);
        zip.Position = 0;
        string zipRun = (await uploads.ProcessAsync(harness.Client, zip, "exam.zip", Cancellation))!;

        var singleRuns = new HashSet<string>(StringComparer.Ordinal);
        foreach ((_, _, string path) in single.Instances)
        {
            await using FileStream file = File.OpenRead(path);
            singleRuns.Add((await uploads.ProcessAsync(harness.Client, file, "files/" + Path.GetFileName(path), Cancellation))!);
        }

        foreach ((string runId, string study) in new[] { (zipRun, zipped.StudyInstanceUid), (Assert.Single(singleRuns), single.StudyInstanceUid) })
        {
            ScoreStudyOutcome outcome = (await WaitAsync(harness, runId)).ReadOutputAs<ScoreStudyOutcome>()!;
            Assert.True(outcome.Kind == ScoreStudyOutcomeKind.Scored, $"{runId}: {outcome.Kind} {outcome.ReasonCode}: {outcome.Message}");
            string[] reports = await ResultBlobsAsync(harness, $"studies/{study}/", "report.json");
            Assert.Equal([outcome.ReportBlob!], reports);
        }

        Assert.Equal(2, (await harness.AllInstancesAsync(Cancellation)).Count);
    }

    private static IEnumerable<string> GeFiles() =>
        Directory.GetFiles(StoredStudy.GeHeadSeriesFolder, "*.dcm").Order(StringComparer.Ordinal);

    private static async Task<OrchestrationMetadata> WaitAsync(TriggerHarness harness, string instanceId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(RunTimeout);
        return await harness.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
    }

    private static async Task<List<(string Modality, string SeriesInstanceUid)>> SeriesAsync(string study)
    {
        using var http = new HttpClient();
        using JsonDocument series = JsonDocument.Parse(await http.GetStringAsync(new Uri(TestServers.DicomWebRoot, $"studies/{study}/series"), Cancellation));
        return series.RootElement.EnumerateArray()
            .Select(s => (s.GetProperty("00080060").GetProperty("Value")[0].GetString()!, s.GetProperty("0020000E").GetProperty("Value")[0].GetString()!))
            .ToList();
    }

    private static async Task<string[]> SopInstancesAsync(string study, string modality)
    {
        using var http = new HttpClient();
        using JsonDocument instances = JsonDocument.Parse(await http.GetStringAsync(new Uri(TestServers.DicomWebRoot, $"studies/{study}/instances?Modality={modality}"), Cancellation));
        return instances.RootElement.EnumerateArray().Select(i => i.GetProperty("00080018").GetProperty("Value")[0].GetString()!).ToArray();
    }

    private static async Task<string[]> ResultBlobsAsync(TriggerHarness harness, string prefix, string suffix)
    {
        var names = new List<string>();
        await foreach (BlobItem blob in harness.Blobs.GetBlobContainerClient(harness.Storage.ResultsContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Cancellation))
        {
            if (blob.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                names.Add(blob.Name);
            }
        }

        return names.ToArray();
    }

    private static QueueMessage QueueMessageOf(string text) =>
        QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "receipt", text, dequeueCount: 1);
}
