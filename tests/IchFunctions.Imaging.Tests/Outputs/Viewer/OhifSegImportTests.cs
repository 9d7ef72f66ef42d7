using System.Security.Cryptography;
using System.Text.Json;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Viewer;

/// <summary>
/// Loads our SEG through the OHIF viewer's SEG import (@cornerstonejs/adapters 5.14.0 with dcmjs, in Node)
/// given the source images, and compares the label maps it builds with our mask slice by slice. The adapter
/// returns empty label maps with only warnings when references do not match, so voxel counts are asserted.
/// </summary>
public sealed class OhifSegImportTests
{
    [Theory]
    [InlineData(OutputTestData.GeHeadTilt)]
    [InlineData(OutputTestData.PhilipsPhantom)]
    public async Task CreateFromDicomSegBuffer_BinarySeg_MatchesMask(string folder)
    {
        SourceSeries source = OutputTestData.ReadSource(folder);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        using var temporary = new TemporaryFolder();
        string segPath = temporary.File("seg.dcm");
        await File.WriteAllBytesAsync(segPath, OutputTestData.ToBytes(SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt)), TestContext.Current.CancellationToken);
        string[] sourceFiles = SourceFilesInOrder(TestData.Require(folder), source);

        using JsonDocument result = JsonDocument.Parse(await NodeScript.RunAsync("ohif-seg-import.mjs", [segPath, .. sourceFiles], TestContext.Current.CancellationToken));

        int sliceLength = source.Geometry.Rows * source.Geometry.Columns;
        int[] expectedCounts = [.. Enumerable.Range(0, source.Headers.Count).Select(slice => mask.AsSpan(slice * sliceLength, sliceLength).Count((byte)1))];
        int[] counts = [.. result.RootElement.GetProperty("counts").EnumerateArray().Select(count => count.GetInt32())];
        Assert.True(expectedCounts.Sum() > 1000, "The test mask must not be trivially small.");
        Assert.True(expectedCounts.Any(count => count == 0), "The test mask must leave some slices empty.");
        Assert.Equal(expectedCounts, counts);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(mask)), result.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task CreateFromDicomSegBuffer_SyntheticTruthSeg_MatchesLabels()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions
        {
            Seed = 21,
            Rows = 160,
            Columns = 160,
            PixelSpacingMm = 1.5,
            SliceCount = 14,
            SliceThicknessMm = 10,
            TiltDegrees = 15,
            Lesions = [new LesionSpec(HemorrhageKind.Intraparenchymal, 40, 0.5, 18), new LesionSpec(HemorrhageKind.Subdural, 200, 0.4, 25)],
        });
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(exam, 21, temporary.File("exam"), cancellationToken: TestContext.Current.CancellationToken);

        using JsonDocument result = JsonDocument.Parse(await NodeScript.RunAsync("ohif-seg-import.mjs", [files.SegmentationFile!, .. files.SliceFiles], TestContext.Current.CancellationToken));

        int sliceLength = exam.Geometry.Rows * exam.Geometry.Columns;
        int[] expectedCounts = [.. Enumerable.Range(0, exam.Geometry.Slices.Count).Select(slice => exam.Labels.AsSpan(slice * sliceLength, sliceLength).Length - exam.Labels.AsSpan(slice * sliceLength, sliceLength).Count((byte)0))];
        Assert.True(expectedCounts.Sum() > 100, "The exam must contain hemorrhage.");
        Assert.Equal(expectedCounts, result.RootElement.GetProperty("counts").EnumerateArray().Select(count => count.GetInt32()));
    }

    /// <summary>Returns the source file paths in the anatomical order of the series, matched by SOP Instance UID.</summary>
    private static string[] SourceFilesInOrder(string folder, SourceSeries source)
    {
        var byUid = Directory.GetFiles(folder).ToDictionary(
            path => IchFunctions.Dicom.IO.DicomReader.ReadFile(path, new IchFunctions.Dicom.IO.DicomReaderOptions { StopBeforePixelData = true }).Dataset.GetString(IchFunctions.Dicom.DicomTags.SopInstanceUid)!,
            StringComparer.Ordinal);
        return [.. source.Geometry.Slices.Select(slice => byUid[slice.SopInstanceUid])];
    }
}
