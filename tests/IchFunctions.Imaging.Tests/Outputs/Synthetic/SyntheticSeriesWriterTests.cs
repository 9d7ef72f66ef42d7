using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Synthetic;

public sealed class SyntheticSeriesWriterTests
{
    private const int Seed = 7;

    private static readonly Lazy<SyntheticExam> Exam = new(() => SyntheticExamGenerator.Generate(new SyntheticExamOptions
    {
        Seed = Seed,
        Rows = 160,
        Columns = 160,
        PixelSpacingMm = 1.5,
        SliceCount = 14,
        SliceThicknessMm = 10,
        TiltDegrees = 12,
        Lesions = [new LesionSpec(HemorrhageKind.Intraparenchymal, 30, 0.5, 15), new LesionSpec(HemorrhageKind.Subdural, 20, 0.3, 8)],
    }));

    [Fact]
    public async Task WriteAsync_Exam_PassesDciodvfy()
    {
        using var temporary = new TemporaryFolder();

        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(14, files.SliceFiles.Count);
        Assert.True(File.Exists(files.MaskFile));
        Assert.True(File.Exists(files.SidecarFile));
        Assert.Empty(Dciodvfy.Errors(files.SliceFiles[0]));
        Assert.Empty(Dciodvfy.Errors(files.SegmentationFile!));
        string report = temporary.File("sr.dcm");
        await File.WriteAllBytesAsync(report, OutputTestData.ToBytes(MeasurementReportWriter.Create(ReportInput(files), OutputTestData.CreatedAt)), TestContext.Current.CancellationToken);
        Assert.Empty(Dciodvfy.Errors(report));
    }

    [Fact]
    public async Task TruthSeg_Pydicom_MatchesLabelMask()
    {
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: TestContext.Current.CancellationToken);

        SegMaskSummary decoded = await SegMaskSummary.FromPydicomAsync(
            files.SegmentationFile!, Path.Combine(files.Folder, SyntheticSeriesWriter.SeriesFolderName), TestContext.Current.CancellationToken);

        byte[] expected = [.. Exam.Value.Labels.Select(label => label == 0 ? (byte)0 : (byte)1)];
        Assert.True(MaskSummary.Of(expected).Count > 100, "The exam must contain hemorrhage.");
        Assert.Equal(MaskSummary.Of(expected), decoded.Segments[1]);
    }

    [Fact]
    public async Task TruthSeg_Reader_MatchesLabelMask()
    {
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: TestContext.Current.CancellationToken);

        Segmentation segmentation = SegmentationReader.Read(DicomReader.ReadFile(files.SegmentationFile!));
        byte[] mask = segmentation.ToMasks(SourceSeries.FromHeaders(files.Headers).Geometry.Slices).Masks[1];

        Assert.Equal(Exam.Value.Labels.Select(label => label == 0 ? (byte)0 : (byte)1), mask);
    }

    [Fact]
    public async Task SeriesFiles_Pydicom_ReadsHounsfieldUnits()
    {
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: TestContext.Current.CancellationToken);
        const string Code = """
            import sys, warnings, numpy as np, pydicom
            warnings.simplefilter("error")
            total = 0
            for path in sys.argv[1:]:
                ds = pydicom.dcmread(path)
                hu = ds.pixel_array.astype(np.int64) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)
                total += int(hu.sum())
            print(total)
            """;

        string output = await PythonScript.RunAsync(Code, files.SliceFiles, TestContext.Current.CancellationToken);

        Assert.Equal(Exam.Value.Hu.Sum(value => (long)value), long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WriteAsync_SameExamTwice_SameSegBytes()
    {
        using var temporary = new TemporaryFolder();

        SyntheticSeriesFiles first = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("first"), cancellationToken: TestContext.Current.CancellationToken);
        SyntheticSeriesFiles second = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("second"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(await File.ReadAllBytesAsync(first.SegmentationFile!, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(second.SegmentationFile!, TestContext.Current.CancellationToken));
        Assert.Equal(first.Headers[0].GetString(DicomTags.StudyInstanceUid), second.Headers[0].GetString(DicomTags.StudyInstanceUid));
        Assert.Equal("SYNTHETIC^HEAD", first.Headers[0].GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task WriteAsync_FolderNotEmpty_Throws()
    {
        using var temporary = new TemporaryFolder();
        string folder = temporary.File("exam");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "keep.txt"), "earlier", TestContext.Current.CancellationToken);

        IOException error = await Assert.ThrowsAsync<IOException>(() => SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, folder, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFileSystemEntries(folder));
    }

    private static MeasurementReportInput ReportInput(SyntheticSeriesFiles files)
    {
        SourceSeries source = SourceSeries.FromHeaders(files.Headers);
        DicomDataset seg = DicomReader.ReadFile(files.SegmentationFile!).Dataset;
        return new MeasurementReportInput(source, seg, 1.0, Exam.Value.HemorrhageVolumeMl, new OperatingPointDecision("default", 0.5, true), SyntheticSeriesWriter.TruthAlgorithm);
    }
}
