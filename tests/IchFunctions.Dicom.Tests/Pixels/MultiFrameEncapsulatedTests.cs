using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// The real 16-frame MR file compressed at test time with and without a Basic Offset Table, and with fragments
/// small enough that every frame spans several, then decoded frame by frame.
/// </summary>
public sealed class MultiFrameEncapsulatedTests
{
    private const string MultiFrameFile = "other/DICOMSamples/MR_Explicit_Little_MultiFrame.dcm";

    [Theory]
    [InlineData("dcmcjpeg", "+e1 +ot")]
    [InlineData("dcmcjpeg", "+e1 -ot")]
    [InlineData("dcmcjpeg", "+e1 +ot +fs 8")]
    [InlineData("dcmcjpeg", "+e1 -ot +fs 8")]
    [InlineData("dcmcrle", "+ot")]
    [InlineData("dcmcrle", "-ot")]
    [InlineData("dcmcjpls", "-ot +fs 4")]
    [InlineData("gdcmconv", "--j2k")]
    public void LosslessMultiFrame_DecodesEveryFrameIdenticalToOriginal(string tool, string options)
    {
        string path = TestData.Require(MultiFrameFile);
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("multiframe.dcm");
        ExternalTool.RunChecked(tool, [.. options.Split(' '), path, compressed]);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);
        Assert.Equal(16, variant.Description.NumberOfFrames);
        if (options.Contains("+fs", StringComparison.Ordinal))
        {
            Assert.True(variant.Encapsulated!.Fragments.Count > 16, $"{tool} {options} wrote {variant.Encapsulated.Fragments.Count} fragments.");
        }

        if (options.Contains("-ot", StringComparison.Ordinal))
        {
            Assert.True(variant.Encapsulated!.BasicOffsetTable.IsEmpty);
        }

        byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(path, scratch));
        Assert.Equal(original, PixelOracle.DecodeAllFrames(variant));
    }

    [Theory]
    [InlineData("+eb")]
    [InlineData("+ee")]
    public void LossyMultiFrame_DecodesCloseToDcmtk(string process)
    {
        string path = TestData.Require(MultiFrameFile);
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("multiframe-lossy.dcm");
        ExternalTool.RunChecked("dcmcjpeg", process, "-ot", "+fs", "4", path, compressed);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);

        byte[] decoded = PixelOracle.DecodeAllFrames(variant);
        TestPixelSource reference = PixelOracle.DecompressWithReferenceTool(compressed, variant.TransferSyntaxUid, scratch);

        // JpegLibrary's floating-point IDCT and libjpeg's integer IDCT in DCMTK may round a sample differently.
        Assert.InRange(PixelOracle.MaxAbsoluteDifference(PixelOracle.DecodeAllFrames(reference), decoded, variant.Description), 0, 2);
    }
}
