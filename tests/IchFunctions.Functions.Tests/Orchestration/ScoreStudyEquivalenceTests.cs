using System.Globalization;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Tests.Orchestration.Support;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;
using IchFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>
/// ScoreStudy over two chunks gives the same exam as scoring the same files in one process (the
/// <c>ich score</c> path): the work blobs carry only the masked pixels and the key slices' voxels are read
/// back alone, from the worker's voxel cache or, with the cache off, from the work container.
/// </summary>
public sealed class ScoreStudyEquivalenceTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The harness's chunk size, which splits the 28-slice series into two chunks.</summary>
    private const int ChunkSlices = 16;

    [Theory]
    [InlineData("256")]
    [InlineData("0")]
    public async Task ScoreStudy_TwoChunks_SameExamAsOneProcess(string voxelCacheMegabytes)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        List<DicomDataset> datasets = TestStudy.CreateGeWithHemorrhage(seed: 91_003, hemorrhage: true, cancellationToken);
        (JsonElement expected, Dictionary<string, byte[]> expectedImages) = await ScoreInOneProcessAsync(datasets, cancellationToken);

        await using TestStudy study = await TestStudy.StoreAsync(datasets, cancellationToken);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(
            TestServers.DicomWebRoot, extraSettings: new Dictionary<string, string?>
            {
                ["Scoring:ChunkSlices"] = ChunkSlices.ToString(CultureInfo.InvariantCulture),
                ["Scoring:VoxelCacheMegabytes"] = voxelCacheMegabytes,
            });
        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" }, ScoreStudyRemoteEngineTests.NewInstanceId(study), RunTimeout));
        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        using JsonDocument report = JsonDocument.Parse((await harness.Results.GetBlobClient(outcome.ReportBlob).DownloadContentAsync(cancellationToken)).Value.Content.ToString());
        JsonElement actual = report.RootElement;

        Assert.True(expected.GetProperty("exam").GetProperty("positive").GetBoolean(), "The inserted hemorrhage was not found in one process, so the comparison would test nothing.");
        Assert.Equal(expected.GetProperty("exam").GetProperty("probability").GetDouble(), actual.GetProperty("exam").GetProperty("probability").GetDouble(), 1e-5);
        Assert.Equal(Lesions(expected), Lesions(actual));
        Assert.Equal(SliceVolumes(expected), SliceVolumes(actual));
        Assert.Equal(KeyImages(expected), KeyImages(actual));
        Assert.Equal(ExpectedKeyImageCount(expected), KeyImages(actual).Count);

        // The key slices must include one inside the second chunk, away from its first slice, or an offset error
        // in reading them back would go unseen.
        int[] keySlices = [.. KeyImages(actual).Select(name => int.Parse(name["key-image-slice".Length..^".png".Length], CultureInfo.InvariantCulture) - 1)];
        Assert.Contains(keySlices, slice => slice > ChunkSlices);
        long hits = harness.Services.GetRequiredService<VoxelCache>().Hits;
        if (voxelCacheMegabytes == "0")
        {
            Assert.Equal(0, hits);
        }
        else
        {
            Assert.True(hits > 0, "The voxel cache answered no read, so the test did not exercise it.");
        }
        string folder = outcome.ReportBlob![..(outcome.ReportBlob!.LastIndexOf('/') + 1)];
        foreach (string name in KeyImages(actual))
        {
            // Same pixels, so the key slices' voxels came back from the right chunk and offset.
            BinaryData image = (await harness.Results.GetBlobClient(folder + name).DownloadContentAsync(cancellationToken)).Value.Content;
            Assert.True(expectedImages[name].AsSpan().SequenceEqual(image.ToMemory().Span), $"Key image {name} differs from the one-process run.");
        }

        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    /// <summary>Scores the data sets from files with <see cref="ExamScorer"/> and returns its report.json and key images.</summary>
    private static async Task<(JsonElement Report, Dictionary<string, byte[]> KeyImages)> ScoreInOneProcessAsync(List<DicomDataset> datasets, CancellationToken cancellationToken)
    {
        string folder = Directory.CreateTempSubdirectory("ich-equivalence-").FullName;
        try
        {
            for (int i = 0; i < datasets.Count; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"{i:D3}.dcm"), await TestStudy.ToPart10Async(datasets[i], cancellationToken), cancellationToken);
            }

            using OnnxModelRunner runner = OnnxModelRunner.Load(ScoreStudyHarness.DemoModel);
            using FileSource source = FileSource.FromFolder(folder);
            ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, cancellationToken: cancellationToken);
            ExamOutputFiles files = await ExamOutputWriter.WriteAsync(result, source, Path.Combine(folder, "out"), DateTimeOffset.UtcNow, cancellationToken: cancellationToken);
            using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(files.ReportPath, cancellationToken));
            var images = new Dictionary<string, byte[]>();
            foreach (string path in files.KeyImages)
            {
                images[Path.GetFileName(path)] = await File.ReadAllBytesAsync(path, cancellationToken);
            }

            return (report.RootElement.Clone(), images);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Each lesion's voxels, extent, volume and mean probability, rounded past float noise between the two paths.</summary>
    private static List<string> Lesions(JsonElement report) =>
        [.. report.GetProperty("lesions").EnumerateArray().Select(lesion => string.Create(CultureInfo.InvariantCulture,
            $"{lesion.GetProperty("voxels").GetInt32()} voxels, slices {lesion.GetProperty("first_slice").GetInt32()}-{lesion.GetProperty("last_slice").GetInt32()}, {lesion.GetProperty("volume_ml").GetDouble():0.000} ml, p {lesion.GetProperty("mean_probability").GetDouble():0.0000}"))];

    private static List<double> SliceVolumes(JsonElement report) =>
        [.. report.GetProperty("slices").EnumerateArray().Select(slice => slice.GetProperty("hemorrhage_ml").GetDouble())];

    private static List<string> KeyImages(JsonElement report) =>
        [.. report.GetProperty("outputs").EnumerateObject().Where(output => output.Name.StartsWith("key_image_", StringComparison.Ordinal)).Select(output => output.Value.GetString()!)];

    private static int ExpectedKeyImageCount(JsonElement report) =>
        Math.Min(ExamOutputOptions.Default.KeyImageCount, SliceVolumes(report).Count(volume => volume > 0));
}
