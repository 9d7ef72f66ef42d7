using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Rendering;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Scoring;

/// <summary>End-to-end scoring of real series with a small exported model (random weights, so only plumbing is checked).</summary>
public sealed class ExamScorerTests : IDisposable
{
    private static readonly string ModelPath = Path.Combine(TestData.RepositoryRoot, "tests", "data", "golden", "patchfcn-w0.0625-s3.onnx");

    private readonly string _output = Directory.CreateTempSubdirectory("ich-score-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task ScoreAsync_GeHeadTilt_ScoresEverySlice()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);
        using FileSource source = FileSource.FromFolder(TestData.Require("dcm_qa_ct/GE_head_tilt"));
        var stages = new HashSet<ScoringStage>();

        ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, new InlineProgress(p => stages.Add(p.Stage)), TestContext.Current.CancellationToken);

        Assert.True(result.Scored);
        Assert.Equal(28, result.Aggregate!.SliceProbabilities.Count);
        Assert.Equal(result.Aggregate.SliceProbabilities.Max(), result.Aggregate.ExamProbability, 9);
        Assert.All(result.PixelProbabilities!, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal("default", result.Decision!.Name);
        Assert.Equal(Enum.GetValues<ScoringStage>(), stages.Order());
    }

    [Fact]
    public async Task Report_ContainsNoPatientData()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);
        using FileSource source = FileSource.FromFolder(TestData.Require("dcm_qa_ct/GE_head_tilt"));
        ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        string json = ExamReportBuilder.ToJson(ExamReportBuilder.Build(result, DateTimeOffset.UnixEpoch));

        // Patient Name and Patient ID of the GE series; the report names series by UID only.
        Assert.DoesNotContain("REMOVED", json, StringComparison.Ordinal);
        Assert.DoesNotContain("QMNx85rKkkg", json, StringComparison.Ordinal);
        Assert.DoesNotContain(source.Locations[0], json, StringComparison.Ordinal);
        Assert.Contains("\"schema\": \"ich-report/1.0\"", json, StringComparison.Ordinal);
        Assert.Contains("NOT FOR CLINICAL USE", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"scored\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_OtherFiles_IsUnscoredWithReasons()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);
        using FileSource source = FileSource.FromFolder(TestData.Require("other"));

        ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, cancellationToken: TestContext.Current.CancellationToken);
        ExamReport report = ExamReportBuilder.Build(result, DateTimeOffset.UnixEpoch);

        Assert.False(result.Scored);
        Assert.Equal("no_eligible_series", report.Status);
        Assert.NotEmpty(report.Selection);
        Assert.Single(report.SkippedFiles);
    }

    [Fact]
    public void Constructor_UnknownOperatingPoint_ListsAvailable()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);

        var error = Assert.Throws<ModelContractException>(() => new ExamScorer(runner, ScoringOptions.Default with { OperatingPoint = "paranoid" }));

        Assert.Contains("'paranoid'", error.Message, StringComparison.Ordinal);
        Assert.Contains("available: default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyImages_AreWrittenForMaskSlices()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);
        using FileSource source = FileSource.FromFolder(TestData.Require("dcm_qa_ct/Philips_head_phantom"));
        ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        IReadOnlyList<string> names = KeyImages.Write(result, _output);

        int maskSlices = Enumerable.Range(0, 28).Count(s => result.Aggregate!.Mask.AsSpan(s * 512 * 512, 512 * 512).Contains((byte)1));
        Assert.Equal(Math.Min(3, maskSlices), names.Count);
        Assert.All(names, name => Assert.True(new FileInfo(Path.Combine(_output, name)).Length > 1000));
    }

    [Fact]
    public async Task Outputs_SegMaskEqualsScoredMask()
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ModelPath);
        using FileSource source = FileSource.FromFolder(TestData.Require("dcm_qa_ct/GE_head_tilt"));
        ScoringResult result = await new ExamScorer(runner).ScoreAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        ExamOutputFiles files = await ExamOutputWriter.WriteAsync(result, source, _output, DateTimeOffset.UnixEpoch, cancellationToken: TestContext.Current.CancellationToken);

        Segmentation seg = SegmentationReader.Read(DicomReader.ReadFile(files.SegmentationPath!));
        SegmentMasks masks = seg.ToMasks(result.Volume!.Geometry.Slices);
        Assert.Equal(result.Aggregate!.Mask, masks.Masks[1]);
        Assert.True(File.Exists(files.ReportSrPath));
        string report = await File.ReadAllTextAsync(files.ReportPath, TestContext.Current.CancellationToken);
        Assert.Contains(seg.SopInstanceUid, report, StringComparison.Ordinal);
    }

    private sealed class InlineProgress(Action<ScoringProgress> handler) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => handler(value);
    }
}
