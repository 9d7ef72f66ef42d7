using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>The broken and unusual real files whose problem is in the pixel data.</summary>
public sealed class BrokenPixelFileTests
{
    [Fact]
    public void TruncatedPixelData_RaisesWithAvailableAndNeededLength()
    {
        // Pixel Data declares 8192 bytes (64 x 64 x 16 bits) but the file ends 62 bytes early.
        TestPixelSource source = TestPixelSource.Load(TestData.Require("other/pydicom/MR_truncated.dcm"));
        Assert.Equal(8130, source.NativePixelData!.Length);

        var exception = Assert.Throws<DicomPixelDataException>(() => PixelOracle.DecodeAllFrames(source));

        Assert.Contains("holds 8130 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("need 8192 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransferSyntaxLyingAboutPixelData_RaisesNamingTheMismatch()
    {
        // The meta header says JPEG-LS Lossless, but Pixel Data has a defined length of 524288 native bytes.
        TestPixelSource source = TestPixelSource.Load(TestData.Require("other/dicom-test-files/20-wrong-transfer-syntax.dcm"));
        Assert.Equal(TransferSyntaxUids.JpegLSLossless, source.TransferSyntaxUid);
        Assert.Null(source.Encapsulated);

        var exception = Assert.Throws<DicomPixelDataException>(() => PixelOracle.DecodeAllFrames(source));

        Assert.Contains(TransferSyntaxUids.JpegLSLossless, exception.Message, StringComparison.Ordinal);
        Assert.Contains("defined length of 524288 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Transfer Syntax UID (0002,0010)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CtWithoutStandardPixelData_RaisesNoPixelData()
    {
        // Philips/Elscint PMSCT_RLE1: the pixels sit in the private element (07A1,100A), not in (7FE0,0010).
        TestPixelSource source = TestPixelSource.Load(TestData.Require("other/orthanc-tests/2020-09-12-ELSCINT1-PMSCT_RLE1.dcm"));
        Assert.Null(source.NativePixelData);
        Assert.Null(source.Encapsulated);

        var exception = Assert.Throws<DicomPixelDataException>(() => PixelOracle.DecodeAllFrames(source));

        Assert.Contains("no Pixel Data (7FE0,0010)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("private elements", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransferSyntax_RaisesUnsupportedNamingUid()
    {
        TestPixelSource source = TestPixelSource.Load(TestData.Require("nema_wg04_ct2/CT2_JPLL"));
        const string HighThroughputJpeg2000 = "1.2.840.10008.1.2.4.201";

        var exception = Assert.Throws<UnsupportedTransferSyntaxException>(() =>
            PixelFrameReader.Create(HighThroughputJpeg2000, source.Description, null, source.Encapsulated));

        Assert.Equal(HighThroughputJpeg2000, exception.TransferSyntaxUid);
        Assert.Contains(HighThroughputJpeg2000, exception.Message, StringComparison.Ordinal);
        Assert.Contains(TransferSyntaxUids.ExplicitVRLittleEndian, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderDisagreeingWithCodestream_RaisesNamingBothSizes()
    {
        TestPixelSource source = TestPixelSource.Load(TestData.Require("other/orthanc-tests/1.2.840.10008.1.2.4.70.dcm"));
        PixelDescription wrong = source.Description with { };
        var claimed = new PixelDescription(
            wrong.Columns, wrong.Rows, 1, wrong.BitsAllocated, wrong.BitsStored, wrong.HighBit, wrong.PixelRepresentation, wrong.PhotometricInterpretation);
        PixelFrameReader reader = PixelFrameReader.Create(source.TransferSyntaxUid, claimed, null, source.Encapsulated);

        var exception = Assert.Throws<DicomPixelDataException>(() => reader.DecodeFrame(0, new byte[claimed.FrameLength]));

        Assert.Contains($"{wrong.Rows} rows x {wrong.Columns} columns", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{claimed.Rows} x {claimed.Columns}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("frame 0", exception.Message, StringComparison.Ordinal);
        Assert.Contains(TransferSyntaxUids.JpegLosslessSV1, exception.Message, StringComparison.Ordinal);
    }
}
