using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Tests.Outputs.Support;

namespace IchFunctions.Imaging.Tests.Outputs.Seg;

public sealed class SegmentationValidationTests
{
    [Theory]
    [InlineData(OutputTestData.GeHeadTilt)]
    [InlineData(OutputTestData.PhilipsPhantom)]
    public void Dciodvfy_BinarySeg_HasNoErrors(string folder)
    {
        SourceSeries source = OutputTestData.ReadSource(folder);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        using var temporary = new TemporaryFolder();
        string path = temporary.File("seg.dcm");

        File.WriteAllBytes(path, OutputTestData.ToBytes(SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt)));

        Assert.Empty(Dciodvfy.Errors(path));
    }

    [Fact]
    public void Dciodvfy_FractionalSeg_HasNoErrors()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.GeHeadTilt);
        float[] probabilities = [.. OutputTestData.EllipsoidMask(source.Geometry, 20, 12).Select(value => value * 0.8f)];
        using var temporary = new TemporaryFolder();
        string path = temporary.File("seg.dcm");

        File.WriteAllBytes(path, OutputTestData.ToBytes(SegmentationWriter.CreateFractional(source, probabilities, OutputTestData.Algorithm, OutputTestData.CreatedAt)));

        Assert.Empty(Dciodvfy.Errors(path));
    }

    [Theory]
    [InlineData(OutputTestData.GeHeadTilt)]
    [InlineData(OutputTestData.PhilipsPhantom)]
    public void Dciodvfy_MeasurementReport_HasNoErrors(string folder)
    {
        SourceSeries source = OutputTestData.ReadSource(folder);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        var seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt);
        var input = new MeasurementReportInput(source, seg.Dataset, 0.93, 12.5, new OperatingPointDecision("high_sensitivity", 0.4, true), OutputTestData.Algorithm);
        using var temporary = new TemporaryFolder();
        string path = temporary.File("sr.dcm");

        File.WriteAllBytes(path, OutputTestData.ToBytes(MeasurementReportWriter.Create(input, OutputTestData.CreatedAt)));

        Assert.Empty(Dciodvfy.Errors(path));
    }
}
