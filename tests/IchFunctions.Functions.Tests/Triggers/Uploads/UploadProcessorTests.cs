using System.IO.Compression;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Uploads;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.Triggers.Uploads;

/// <summary>
/// The upload handling behind the blob trigger, with Azurite and the in-process Durable Task host. ScoreStudy
/// is replaced by <see cref="QuietPeriodProbe"/>, which counts the InstanceArrived events it receives.
/// </summary>
public sealed class UploadProcessorTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ZipUpload_StartsOneRunForTheZip()
    {
        await using StoredStudy study = await StoredStudy.CreateAsync(GeFiles(), Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        using MemoryStream zip = Zip(study.Instances.Select(i => (Path.GetFileName(i.Path), File.ReadAllBytes(i.Path))));

        string? instanceId = await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, zip, "exam.zip", Cancellation);

        OrchestrationMetadata instance = Assert.Single(await harness.AllInstancesAsync(Cancellation));
        Assert.Equal(instanceId, instance.InstanceId);
        ScoreStudyRequest request = instance.ReadInputAs<ScoreStudyRequest>()!;
        Assert.Equal(study.StudyInstanceUid, request.StudyInstanceUid);
        Assert.Equal(new BlobExamReference { Container = harness.Storage.IncomingContainer, BlobName = "exam.zip" }, request.Blob);
        Assert.Equal(UploadProcessor.TriggerName, request.Trigger);
    }

    [Fact]
    public async Task FileByFileUpload_StagesAllAndStartsOneRun()
    {
        await using StoredStudy study = await StoredStudy.CreateAsync(GeFiles(), Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        UploadProcessor uploads = harness.Services.GetRequiredService<UploadProcessor>();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach ((_, _, string path) in study.Instances)
        {
            await using FileStream file = File.OpenRead(path);
            ids.Add((await uploads.ProcessAsync(harness.Client, file, "exam/" + Path.GetFileName(path), Cancellation))!);
        }

        string instanceId = Assert.Single(ids);
        OrchestrationMetadata completed = await harness.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, Cancellation);
        ScoreStudyRequest request = completed.ReadInputAs<ScoreStudyRequest>()!;
        string prefix = ScoreStudyNames.WorkPrefix(instanceId) + UploadProcessor.StagedFolder;
        Assert.Equal(new BlobExamReference { Container = harness.Storage.WorkContainer, Prefix = prefix }, request.Blob);
        Assert.Equal(study.Instances.Count - 1, completed.ReadOutputAs<int>());
        Assert.Single(await harness.AllInstancesAsync(Cancellation));
        Assert.Equal(study.Instances.Count, await CountBlobsAsync(harness.Blobs.GetBlobContainerClient(harness.Storage.WorkContainer), prefix));
    }

    [Fact]
    public async Task LateFile_AfterRunEnded_IsRejected()
    {
        await using StoredStudy study = await StoredStudy.CreateAsync(GeFiles().Take(2), Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        UploadProcessor uploads = harness.Services.GetRequiredService<UploadProcessor>();
        await using (FileStream first = File.OpenRead(study.Instances[0].Path))
        {
            string id = (await uploads.ProcessAsync(harness.Client, first, "a.dcm", Cancellation))!;
            await harness.Client.WaitForInstanceCompletionAsync(id, Cancellation);
        }

        await using FileStream late = File.OpenRead(study.Instances[1].Path);
        string? lateId = await uploads.ProcessAsync(harness.Client, late, "b.dcm", Cancellation);

        Assert.Null(lateId);
        Assert.Contains("already scored", (await ReadRejectionAsync(harness, "b.dcm")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathTraversalZip_IsRejectedWithReason()
    {
        string file = GeFiles().First();
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        using MemoryStream zip = Zip([("../../etc/slice.dcm", File.ReadAllBytes(file))]);

        string? instanceId = await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, zip, "traversal.zip", Cancellation);

        Assert.Null(instanceId);
        UploadRejection rejection = await ReadRejectionAsync(harness, "traversal.zip");
        Assert.Contains("path traversal", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("traversal.zip", rejection.Blob);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task ZipBomb_IsRejectedWithReason()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        using MemoryStream zip = Zip([("zeros.dcm", new byte[16 * 1024 * 1024])]);

        string? instanceId = await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, zip, "bomb.zip", Cancellation);

        Assert.Null(instanceId);
        Assert.Contains("zip bomb", (await ReadRejectionAsync(harness, "bomb.zip")).Reason, StringComparison.Ordinal);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task ZipWithoutDicom_IsRejectedWithReason()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        using MemoryStream zip = Zip([("readme.txt", "not an image"u8.ToArray())]);

        await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, zip, "notes.zip", Cancellation);

        string reason = (await ReadRejectionAsync(harness, "notes.zip")).Reason;
        Assert.Contains("contains no CT instance", reason, StringComparison.Ordinal);
        Assert.Contains("readme.txt", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonDicomFile_IsRejectedWithReason()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        using var text = new MemoryStream("patient notes, not DICOM"u8.ToArray());

        string? instanceId = await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, text, "notes.txt", Cancellation);

        Assert.Null(instanceId);
        Assert.Contains("is not a DICOM instance", (await ReadRejectionAsync(harness, "notes.txt")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SegFile_IsRejectedAsNotCt()
    {
        string seg = Path.Combine(Testing.TestData.Require("seg/dcmqi"), "liver.dcm");
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        await using FileStream file = File.OpenRead(seg);

        await harness.Services.GetRequiredService<UploadProcessor>().ProcessAsync(harness.Client, file, "liver.dcm", Cancellation);

        Assert.Contains("modality 'SEG'", (await ReadRejectionAsync(harness, "liver.dcm")).Reason, StringComparison.Ordinal);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    private static IEnumerable<string> GeFiles() =>
        Directory.GetFiles(StoredStudy.GeHeadSeriesFolder, "*.dcm").Order(StringComparer.Ordinal);

    private static MemoryStream Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in entries)
            {
                using Stream entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static async Task<UploadRejection> ReadRejectionAsync(TriggerHarness harness, string blobName)
    {
        BlobClient blob = harness.Blobs.GetBlobContainerClient(harness.Storage.ResultsContainer).GetBlobClient(blobName + UploadRejectionWriter.Suffix);
        BlobDownloadResult content = await blob.DownloadContentAsync(Cancellation);
        return content.Content.ToObjectFromJson<UploadRejection>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static async Task<int> CountBlobsAsync(BlobContainerClient container, string prefix)
    {
        int count = 0;
        await foreach (BlobItem _ in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Cancellation))
        {
            count++;
        }

        return count;
    }
}
