using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
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
        ExternalTool.Result result = ExternalTool.Run("dciodvfy", path);
        File.WriteAllText("/tmp/seg-dciodvfy-" + Path.GetFileName(folder) + ".txt", result.Error + result.Output);
        Assert.DoesNotContain("Error", result.Error + result.Output, StringComparison.Ordinal);
    }
}
