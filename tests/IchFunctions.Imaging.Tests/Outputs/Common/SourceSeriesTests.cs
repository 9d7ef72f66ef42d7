using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Common;

public sealed class SourceSeriesTests
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };

    [Fact]
    public void FromHeaders_ShuffledFiles_OrdersAlongNormal()
    {
        string folder = TestData.Require(OutputTestData.GeHeadTilt);
        DicomDataset[] headers = [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Reverse().Select(path => DicomReader.ReadFile(path, HeaderOnly).Dataset)];

        SourceSeries source = SourceSeries.FromHeaders(headers);

        Assert.Equal(source.Geometry.Slices.Select(slice => slice.SopInstanceUid), source.Headers.Select(header => header.GetString(DicomTags.SopInstanceUid)));
        Assert.Equal(source.Geometry.Distances.Order(), source.Geometry.Distances);
        Assert.True(source.Geometry.TiltDegrees > 18, "The GE series is tilted by 18.5 degrees.");
    }

    [Fact]
    public void FromHeaders_TwoSeries_ThrowsNamingBothUids()
    {
        DicomDataset[] ge = ReadAll(OutputTestData.GeHeadTilt);
        DicomDataset[] philips = ReadAll(OutputTestData.PhilipsPhantom);

        ArgumentException error = Assert.Throws<ArgumentException>(() => SourceSeries.FromHeaders([.. ge, .. philips]));

        Assert.Contains(ge[0].GetString(DicomTags.StudyInstanceUid)!, error.Message, StringComparison.Ordinal);
        Assert.Contains(philips[0].GetString(DicomTags.StudyInstanceUid)!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHeaders_SameInstanceTwice_ThrowsNamingUid()
    {
        DicomDataset[] headers = ReadAll(OutputTestData.PhilipsPhantom);

        ArgumentException error = Assert.Throws<ArgumentException>(() => SourceSeries.FromHeaders([.. headers, headers[3]]));

        Assert.Contains(headers[3].GetString(DicomTags.SopInstanceUid)!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHeaders_SharedPosition_Throws()
    {
        DicomDataset[] headers = ReadAll(OutputTestData.PhilipsPhantom);
        var copy = new DicomDataset(headers[3]);
        copy.SetStrings(DicomTags.SopInstanceUid, DicomVR.UI, "1.2.826.0.1.3680043.2.1125.1");

        ArgumentException error = Assert.Throws<ArgumentException>(() => SourceSeries.FromHeaders([.. headers, copy]));

        Assert.Contains("share a position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHeaders_MissingPosition_ThrowsNamingUid()
    {
        DicomDataset[] headers = ReadAll(OutputTestData.PhilipsPhantom);
        headers[0].Remove(new DicomTag(0x0020, 0x0032));

        ArgumentException error = Assert.Throws<ArgumentException>(() => SourceSeries.FromHeaders(headers));

        Assert.Contains(headers[0].GetString(DicomTags.SopInstanceUid)!, error.Message, StringComparison.Ordinal);
        Assert.Contains("Image Position (Patient) has 0 of 3 values", error.Message, StringComparison.Ordinal);
    }

    private static DicomDataset[] ReadAll(string folder) =>
        [.. Directory.GetFiles(TestData.Require(folder)).Order(StringComparer.Ordinal).Select(path => DicomReader.ReadFile(path, HeaderOnly).Dataset)];
}
