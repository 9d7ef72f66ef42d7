using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// The WG04 head CT slice in each compressed transfer syntax, decoded by this toolkit and compared with the
/// DCMTK or GDCM decode of the same file, and with the uncompressed original.
/// </summary>
public sealed class CompressedSampleTests
{
    [Theory]
    [InlineData("CT2_JPLL", TransferSyntaxUids.JpegLosslessSV1)]
    [InlineData("CT2_RLE", TransferSyntaxUids.RleLossless)]
    [InlineData("CT2_JLSL", TransferSyntaxUids.JpegLSLossless)]
    [InlineData("CT2_J2KR", TransferSyntaxUids.Jpeg2000Lossless)]
    public void LosslessSample_DecodesIdenticalToReferenceTool(string file, string transferSyntaxUid)
    {
        string path = TestData.Require($"nema_wg04_ct2/{file}");
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);
        Assert.Equal(transferSyntaxUid, source.TransferSyntaxUid);

        byte[] decoded = PixelOracle.DecodeAllFrames(source);
        byte[] reference = PixelOracle.DecodeAllFrames(PixelOracle.DecompressWithReferenceTool(path, transferSyntaxUid, scratch));
        byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(TestData.Require("nema_wg04_ct2/CT2_UNC"), scratch));

        Assert.Equal(reference, decoded);
        Assert.Equal(original, decoded);
    }

    [Fact]
    public void NonSquareJpegLosslessScout_DecodesIdenticalToDcmtk()
    {
        // GE chest scout, 400 x 512, JPEG Lossless SV1 written by a scanner-side encoder rather than DCMTK.
        string path = TestData.Require("other/orthanc-tests/1.2.840.10008.1.2.4.70.dcm");
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);
        Assert.NotEqual(source.Description.Rows, source.Description.Columns);

        byte[] decoded = PixelOracle.DecodeAllFrames(source);
        byte[] reference = PixelOracle.DecodeAllFrames(PixelOracle.DecompressWithReferenceTool(path, source.TransferSyntaxUid, scratch));

        Assert.Equal(reference, decoded);
    }

    [Theory]
    [InlineData("CT2_JLSN", TransferSyntaxUids.JpegLSNearLossless)]
    [InlineData("CT2_J2KI", TransferSyntaxUids.Jpeg2000)]
    public void LossySample_DecodesWithinDeclaredTolerance(string file, string transferSyntaxUid)
    {
        string path = TestData.Require($"nema_wg04_ct2/{file}");
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);
        Assert.Equal(transferSyntaxUid, source.TransferSyntaxUid);
        Assert.Equal("01", source.Attributes["0028,2110"]);

        byte[] decoded = PixelOracle.DecodeAllFrames(source);
        byte[] reference = PixelOracle.DecodeAllFrames(PixelOracle.DecompressWithReferenceTool(path, transferSyntaxUid, scratch));
        byte[] original = PixelOracle.DecodeAllFrames(TestPixelSource.Load(TestData.Require("nema_wg04_ct2/CT2_UNC"), scratch));

        if (transferSyntaxUid == TransferSyntaxUids.JpegLSNearLossless)
        {
            // JPEG-LS near-lossless is exact up to its NEAR parameter, which the codestream's SOF55 segment carries.
            int near = JpegLSNearParameter(source);
            Assert.InRange(near, 1, 255);
            Assert.Equal(reference, decoded);
            Assert.InRange(PixelOracle.MaxAbsoluteDifference(original, decoded, source.Description), 0, near);
        }
        else
        {
            // Irreversible JPEG 2000 declares only its compression ratio; OpenJPEG (as in GDCM) must agree exactly,
            // and the error against the original is bounded by what this 106:1 codestream is known to lose.
            Assert.Equal(reference, decoded);
            Assert.InRange(PixelOracle.MaxAbsoluteDifference(original, decoded, source.Description), 1, 402);
        }
    }

    private static int JpegLSNearParameter(TestPixelSource source)
    {
        ReadOnlySpan<byte> codestream = source.Encapsulated!.Fragments[0].Span;
        int sos = codestream.IndexOf(new byte[] { 0xFF, 0xDA });
        int componentCount = codestream[sos + 4];
        return codestream[sos + 5 + (componentCount * 2)];
    }
}
