using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// The real 28-slice GE head CT series (signed 16-bit, padding -1500) compressed at test time by DCMTK and GDCM
/// into every lossless transfer syntax, then decoded by this toolkit and compared with the native original.
/// </summary>
public sealed class HeadSeriesVariantTests
{
    private const string SeriesFolder = "dcm_qa_ct/GE_head_tilt";

    [Theory]
    [InlineData(TransferSyntaxUids.JpegLosslessSV1, "dcmcjpeg", "+e1")]
    [InlineData(TransferSyntaxUids.JpegLosslessSV1, "gdcmconv", "--jpeg")]
    [InlineData(TransferSyntaxUids.RleLossless, "dcmcrle", "")]
    [InlineData(TransferSyntaxUids.JpegLSLossless, "dcmcjpls", "")]
    [InlineData(TransferSyntaxUids.Jpeg2000Lossless, "gdcmconv", "--j2k")]
    public void Series_CompressedLosslessly_DecodesIdenticalToOriginal(string transferSyntaxUid, string tool, string option)
    {
        string folder = TestData.Require(SeriesFolder);
        using var scratch = new TemporaryDirectory();
        string[] slices = Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(28, slices.Length);

        foreach (string slice in slices)
        {
            string compressed = scratch.File($"{Path.GetFileNameWithoutExtension(slice)}.{tool}.dcm");
            ExternalTool.RunChecked(tool, [.. Arguments(option), slice, compressed]);
            TestPixelSource variant = TestPixelSource.Load(compressed, scratch);
            Assert.Equal(transferSyntaxUid, variant.TransferSyntaxUid);

            byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(slice, scratch));
            byte[] decoded = PixelOracle.DecodeAllFrames(variant);
            Assert.True(original.AsSpan().SequenceEqual(decoded), $"{Path.GetFileName(slice)} via {tool} {option} differs from the native original.");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void JpegLosslessPredictor_DecodesIdenticalToOriginal(int selectionValue)
    {
        // Slice 15 holds padding (-1500), air and tissue, so neighbouring samples mix negative and positive values.
        string slice = TestData.Require($"{SeriesFolder}/15.dcm");
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("predictor.dcm");
        ExternalTool.RunChecked("dcmcjpeg", "+el", "+sv", selectionValue.ToString(System.Globalization.CultureInfo.InvariantCulture), slice, compressed);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);
        Assert.Equal(TransferSyntaxUids.JpegLossless, variant.TransferSyntaxUid);

        byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(slice, scratch));
        Assert.Equal(original, PixelOracle.DecodeAllFrames(variant));
    }

    [Fact]
    public void JpegLosslessPointTransform_MatchesDcmtk()
    {
        string slice = TestData.Require($"{SeriesFolder}/15.dcm");
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("point-transform.dcm");
        ExternalTool.RunChecked("dcmcjpeg", "+el", "+sv", "4", "+pt", "3", slice, compressed);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);

        byte[] reference = PixelOracle.DecodeAllFrames(PixelOracle.DecompressWithReferenceTool(compressed, variant.TransferSyntaxUid, scratch));
        Assert.Equal(reference, PixelOracle.DecodeAllFrames(variant));
    }

    private static string[] Arguments(string option) => option.Length == 0 ? [] : option.Split(' ');
}
