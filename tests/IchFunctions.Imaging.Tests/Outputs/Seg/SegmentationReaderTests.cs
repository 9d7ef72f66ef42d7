using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Seg;

public sealed class SegmentationReaderTests
{
    /// <summary>Every SEG of the test data, with the folder of its source images where the data has them.</summary>
    public static readonly TheoryData<string, string?> SegFiles = new()
    {
        { "seg/highdicom/seg_image_ct_binary.dcm", "seg/highdicom/source_ct_pydicom_CT2" },
        { "seg/highdicom/seg_image_ct_binary_overlap.dcm", "seg/highdicom/source_ct_pydicom_CT2" },
        { "seg/highdicom/seg_image_ct_binary_fractional.dcm", "seg/highdicom/source_ct_pydicom_CT2" },
        { "seg/highdicom/seg_image_ct_true_fractional.dcm", "seg/highdicom/source_ct_pydicom_CT2" },
        { "seg/dcmqi/liver.dcm", "seg/dcmqi/source_ct-3slice" },
        { "seg/dcmqi/partial_overlaps.dcm", "seg/dcmqi/source_ct-3slice" },
        { "seg/dcmqi/sparse-labelmap-noppv.dcm", "seg/dcmqi/source_24x38x3" },
        { "seg/dcmqi/sparse-labelmap-ppv5.dcm", "seg/dcmqi/source_24x38x3" },
        { "seg/dcmqi/sr-example_seg.dcm", null },
        { "seg/orthanc-tests/DicomSeg.dcm", null },
        { "seg/DICOMSamples/MR_UnspecifiedLength.dcm", null },
    };

    [Theory]
    [MemberData(nameof(SegFiles))]
    public async Task Read_TestDataSeg_MatchesPydicom(string segFile, string? sourceFolder)
    {
        string segPath = TestData.Require(segFile);
        string? sourcePath = sourceFolder is null ? null : TestData.Require(sourceFolder);

        Segmentation segmentation = SegmentationReader.Read(DicomReader.ReadFile(segPath));
        SegmentMasks masks = sourcePath is null ? segmentation.ToMasks() : segmentation.ToMasks(SourceSlices(sourcePath));
        SegMaskSummary ours = SegMaskSummary.Of(masks);
        SegMaskSummary expected = await SegMaskSummary.FromPydicomAsync(segPath, sourcePath, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Planes, ours.Planes);
        Assert.Equal(expected.Segments.Keys.Order(), ours.Segments.Keys.Order());
        foreach ((int segment, MaskSummary summary) in expected.Segments)
        {
            Assert.Equal(summary, ours.Segments[segment]);
        }
    }

    [Fact]
    public void SegFiles_CoverEverySegInTestData()
    {
        string root = TestData.Require("seg");
        IEnumerable<string> segs = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => DicomReader.ReadFile(path, new DicomReaderOptions { StopBeforePixelData = true }).Dataset.GetString(DicomTags.Modality) == "SEG")
            .Select(path => "seg/" + Path.GetRelativePath(root, path).Replace('\\', '/'));

        Assert.Equal(segs.Order(StringComparer.Ordinal), SegFiles.Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_OverlappingSegments_KeepsBothMasks()
    {
        string segPath = TestData.Require("seg/highdicom/seg_image_ct_binary_overlap.dcm");

        SegmentMasks masks = SegmentationReader.Read(DicomReader.ReadFile(segPath)).ToMasks(SourceSlices(TestData.Require("seg/highdicom/source_ct_pydicom_CT2")));
        int overlap = masks.Masks[1].Zip(masks.Masks[2]).Count(pair => pair.First != 0 && pair.Second != 0);

        Assert.True(overlap > 0, "The two segments of this file overlap, so some voxels must be in both masks.");
    }

    [Fact]
    public void ToMasks_WrongSourceSeries_ThrowsNamingFrame()
    {
        Segmentation segmentation = SegmentationReader.Read(DicomReader.ReadFile(TestData.Require("seg/dcmqi/liver.dcm")));
        IReadOnlyList<SliceGeometry> other = [.. SourceSlices(TestData.Require("seg/dcmqi/source_ct-3slice"))
            .Select(slice => slice with { SopInstanceUid = "1.2.3." + slice.InstanceNumber, Position = slice.Position + new Vector3D(0, 0, 100) })];

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => segmentation.ToMasks(other));

        Assert.Contains("Frame 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotASegmentation_ThrowsNamingSopClass()
    {
        DicomFile ct = DicomReader.ReadFile(Path.Combine(TestData.Require(OutputTestData.GeHeadTilt), "01.dcm"));

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SegmentationReader.Read(ct));

        Assert.Contains("1.2.840.10008.5.1.4.1.1.2", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<SliceGeometry> SourceSlices(string folder)
    {
        var options = new DicomReaderOptions { StopBeforePixelData = true };
        return SourceSeries.FromHeaders(Directory.GetFiles(folder).Select(path => DicomReader.ReadFile(path, options).Dataset)).Geometry.Slices;
    }
}
