using System.Runtime.InteropServices;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;
using JpegLibrary;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// Checks the JpegLibrary package at the precisions CT needs: 12-bit extended DCT through the toolkit's codec,
/// and 16-bit lossless decoded by the package directly.
/// </summary>
public sealed class JpegLibraryPrecisionTests
{
    [Fact]
    public void Extended12Bit_DecodesCloseToDcmtk()
    {
        // The Philips phantom slice stores 12 bits, which is what JPEG Extended (process 4) encodes.
        string slice = TestData.Require("dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm/I100");
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("extended.dcm");
        ExternalTool.RunChecked("dcmcjpeg", "+ee", slice, compressed);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);
        Assert.Equal(TransferSyntaxUids.JpegExtended12Bit, variant.TransferSyntaxUid);
        Assert.Equal(12, variant.Description.BitsStored);

        byte[] decoded = PixelOracle.DecodeAllFrames(variant);
        byte[] reference = PixelOracle.DecodeAllFrames(PixelOracle.DecompressWithReferenceTool(compressed, variant.TransferSyntaxUid, scratch));

        Assert.InRange(PixelOracle.MaxAbsoluteDifference(reference, decoded, variant.Description), 0, 2);
    }

    [Fact]
    public void Lossless16BitSV1_JpegLibraryMatchesOriginal()
    {
        Assert.Equal(0, CountJpegLibraryMismatches(selectionValue: 1));
    }

    [Fact]
    public void Lossless16BitPredictor7_JpegLibraryDiffers()
    {
        // JpegLibrary 0.4.32 keeps reconstructed samples as short, so (Ra + Rb) / 2 goes wrong whenever the
        // unsigned sum of two neighbours exceeds 0xFFFF, as for two's complement CT values on both sides of zero.
        // This is why the toolkit decodes process 14 itself. If this starts to fail, a newer JpegLibrary
        // computes predictor 7 correctly.
        Assert.True(CountJpegLibraryMismatches(selectionValue: 7) > 0);
    }

    private static int CountJpegLibraryMismatches(int selectionValue)
    {
        string slice = TestData.Require("dcm_qa_ct/GE_head_tilt/15.dcm");
        using var scratch = new TemporaryDirectory();
        string compressed = scratch.File("lossless.dcm");
        ExternalTool.RunChecked("dcmcjpeg", "+el", "+sv", selectionValue.ToString(System.Globalization.CultureInfo.InvariantCulture), slice, compressed);
        TestPixelSource variant = TestPixelSource.Load(compressed, scratch);

        var decoder = new JpegDecoder();
        decoder.SetInput(variant.Encapsulated!.Fragments[0]);
        decoder.Identify();
        Assert.Equal(16, decoder.Precision);
        var decoded = new ushort[decoder.Width * decoder.Height];
        decoder.SetOutputWriter(new SampleWriter(decoded, decoder.Width, decoder.Height));
        decoder.Decode();

        byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(slice, scratch));
        int mismatches = 0;
        ReadOnlySpan<ushort> expected = MemoryMarshal.Cast<byte, ushort>(original);
        for (int i = 0; i < expected.Length; i++)
        {
            mismatches += expected[i] == decoded[i] ? 0 : 1;
        }

        return mismatches;
    }

    private sealed class SampleWriter(ushort[] samples, int width, int height) : JpegBlockOutputWriter
    {
        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            Span<short> block = MemoryMarshal.CreateSpan(ref blockRef, 64);
            for (int row = 0; row < 8 && y + row < height; row++)
            {
                for (int column = 0; column < 8 && x + column < width; column++)
                {
                    samples[((y + row) * width) + x + column] = (ushort)block[(row * 8) + column];
                }
            }
        }
    }
}
