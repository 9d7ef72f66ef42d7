using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Seg;

public sealed class SegmentationWriterTests
{
    private static readonly DicomTag PerFrameFunctionalGroups = new(0x5200, 0x9230);
    private static readonly DicomTag PlanePosition = new(0x0020, 0x9113);
    private static readonly DicomTag ImagePosition = new(0x0020, 0x0032);
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    private static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);

    [Theory]
    [InlineData(OutputTestData.GeHeadTilt)]
    [InlineData(OutputTestData.PhilipsPhantom)]
    public async Task Pydicom_BinarySeg_RebuildsMaskVoxelForVoxel(string folder)
    {
        SourceSeries source = OutputTestData.ReadSource(folder);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        using var temporary = new TemporaryFolder();
        string path = temporary.File("seg.dcm");
        await File.WriteAllBytesAsync(path, OutputTestData.ToBytes(SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt)), TestContext.Current.CancellationToken);

        SegMaskSummary decoded = await SegMaskSummary.FromPydicomAsync(path, TestData.Require(folder), TestContext.Current.CancellationToken);

        Assert.Equal(source.Headers.Count, decoded.Planes);
        Assert.True(MaskSummary.Of(mask).Count > 1000, "The test mask must not be trivially small.");
        Assert.Equal(MaskSummary.Of(mask), decoded.Segments[1]);
    }

    [Fact]
    public async Task Pydicom_FractionalSeg_RebuildsQuantisedProbabilities()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.GeHeadTilt);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 25, 15);
        float[] probabilities = [.. mask.Select((value, i) => value == 0 ? 0f : 0.3f + (0.7f * (i % 97) / 96f))];
        using var temporary = new TemporaryFolder();
        string path = temporary.File("seg.dcm");
        await File.WriteAllBytesAsync(path, OutputTestData.ToBytes(SegmentationWriter.CreateFractional(source, probabilities, OutputTestData.Algorithm, OutputTestData.CreatedAt)), TestContext.Current.CancellationToken);

        SegMaskSummary decoded = await SegMaskSummary.FromPydicomAsync(path, TestData.Require(OutputTestData.GeHeadTilt), TestContext.Current.CancellationToken);

        byte[] expected = [.. probabilities.Select(p => (byte)MathF.Round(p * 255, MidpointRounding.AwayFromZero))];
        Assert.Equal(MaskSummary.Of(expected), decoded.Segments[1]);
    }

    [Fact]
    public void Reader_OurBinarySeg_ReturnsSameMask()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.GeHeadTilt);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        byte[] bytes = OutputTestData.ToBytes(SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt));

        Segmentation segmentation = SegmentationReader.Read(DicomReader.Read(new MemoryStream(bytes)));

        Assert.Equal(mask, segmentation.ToMasks(source.Geometry.Slices).Masks[1]);
        Assert.Equal(Codes.IntracranialHemorrhage, segmentation.Segments[0].Type);
        Assert.Equal(Codes.MorphologicallyAbnormalStructure, segmentation.Segments[0].Category);
        Assert.Equal("AUTOMATIC", segmentation.Segments[0].AlgorithmType);
    }

    [Fact]
    public void CreateBinary_SameInputs_SameBytes()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);

        byte[] first = OutputTestData.ToBytes(SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt));
        byte[] second = OutputTestData.ToBytes(SegmentationWriter.CreateBinary(OutputTestData.ReadSource(OutputTestData.PhilipsPhantom), mask, OutputTestData.Algorithm, OutputTestData.CreatedAt));

        Assert.Equal(first, second);
    }

    [Fact]
    public void CreateBinary_OtherModelVersion_OtherUids()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        byte[] mask = new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns];

        DicomDataset first = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt).Dataset;
        DicomDataset second = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm with { Version = "0.2.0" }, OutputTestData.CreatedAt).Dataset;

        Assert.NotEqual(first.GetString(DicomTags.SopInstanceUid), second.GetString(DicomTags.SopInstanceUid));
        Assert.NotEqual(first.GetString(DicomTags.SeriesInstanceUid), second.GetString(DicomTags.SeriesInstanceUid));
        Assert.Equal(first.GetString(DicomTags.StudyInstanceUid), source.StudyInstanceUid);
    }

    [Fact]
    public void CreateBinary_EmptyMask_WritesFrameForEverySlice()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.GeHeadTilt);
        byte[] mask = new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns];

        DicomDataset seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt).Dataset;

        Assert.Equal(28, seg.GetInt32(NumberOfFrames));
        Assert.Equal(28, seg.FindSequence(PerFrameFunctionalGroups)!.Items.Count);
    }

    [Fact]
    public void CreateBinary_TiltedSource_FramesKeepSourcePositions()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.GeHeadTilt);
        byte[] mask = new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns];

        DicomDataset seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt).Dataset;

        IReadOnlyList<DicomDataset> frames = seg.FindSequence(PerFrameFunctionalGroups)!.Items;
        for (int i = 0; i < frames.Count; i++)
        {
            string? framePosition = frames[i].FindSequence(PlanePosition)!.Items[0].GetString(ImagePosition);
            Assert.Equal(source.Headers[i].GetString(ImagePosition), framePosition);
        }
    }

    [Fact]
    public void CreateBinary_NotForClinicalUse_InSeriesDescription()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        byte[] mask = new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns];

        string? description = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt).Dataset.GetString(SeriesDescription);

        Assert.Equal("ICH SEG PatchFCN-DRN38-demo 0.1.0 NOT FOR CLINICAL USE", description);
    }

    [Fact]
    public void CreateBinary_WrongMaskLength_ThrowsNamingBothSizes()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            SegmentationWriter.CreateBinary(source, new byte[100], OutputTestData.Algorithm, OutputTestData.CreatedAt));

        Assert.Contains("100", error.Message, StringComparison.Ordinal);
        Assert.Contains("28 slices of 512x512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateFractional_ProbabilityAboveOne_ThrowsNamingIndex()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        var probabilities = new float[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns];
        probabilities[12345] = 1.5f;

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            SegmentationWriter.CreateFractional(source, probabilities, OutputTestData.Algorithm, OutputTestData.CreatedAt));

        Assert.Contains("index 12345", error.Message, StringComparison.Ordinal);
    }
}
