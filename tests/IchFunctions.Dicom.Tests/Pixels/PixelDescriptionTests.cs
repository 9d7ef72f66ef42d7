using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Native;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>Up-front validation of the image pixel attributes, and the planar-to-interleaved conversion.</summary>
public sealed class PixelDescriptionTests
{
    [Fact]
    public void CtSlice_DerivesSizes()
    {
        var description = new PixelDescription(512, 512, 1, 16, 12, 11, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2, numberOfFrames: 3);

        Assert.Equal(2, description.BytesPerSample);
        Assert.Equal(512 * 512 * 2, description.FrameLength);
        Assert.Equal(3L * 512 * 512 * 2, description.TotalLength);
        Assert.True(description.IsSigned);
    }

    public static TheoryData<Func<PixelDescription>, string> InvalidDescriptions => new()
    {
        { () => new PixelDescription(0, 512, 1, 16, 16, 15, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "Rows (0028,0010) is 0" },
        { () => new PixelDescription(512, 70000, 1, 16, 16, 15, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "Columns (0028,0011) is 70000" },
        { () => new PixelDescription(512, 512, 3, 16, 16, 15, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "Samples per Pixel (0028,0002) is 3 but Photometric Interpretation (0028,0004) MONOCHROME2 requires 1" },
        { () => new PixelDescription(512, 512, 1, 12, 12, 11, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "Bits Allocated (0028,0100) is 12" },
        { () => new PixelDescription(512, 512, 1, 16, 17, 16, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "Bits Stored (0028,0101) is 17 but Bits Allocated (0028,0100) is 16" },
        { () => new PixelDescription(512, 512, 1, 16, 12, 15, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2), "High Bit (0028,0102) is 15 but Bits Stored (0028,0101) is 12" },
        { () => new PixelDescription(512, 512, 1, 16, 16, 15, (PixelRepresentation)2, PhotometricInterpretation.Monochrome2), "Pixel Representation (0028,0103) is 2" },
        { () => new PixelDescription(512, 512, 3, 8, 8, 7, PixelRepresentation.Unsigned, PhotometricInterpretation.Rgb, (PlanarConfiguration)2), "Planar Configuration (0028,0006) is 2" },
        { () => new PixelDescription(512, 512, 1, 16, 16, 15, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome2, numberOfFrames: 0), "Number of Frames (0028,0008) is 0" },
        { () => new PixelDescription(65535, 65535, 3, 32, 32, 31, PixelRepresentation.Unsigned, PhotometricInterpretation.Rgb), "more than the" },
    };

    [Theory]
    [MemberData(nameof(InvalidDescriptions))]
    public void InvalidAttributes_RaiseNamingValues(Func<PixelDescription> create, string expectedMessage)
    {
        var exception = Assert.Throws<DicomPixelDataException>(() => create());

        Assert.Contains(expectedMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownPhotometricInterpretation_RaisesNamingValue()
    {
        var exception = Assert.Throws<DicomPixelDataException>(() => PhotometricInterpretations.Parse("CMYK "));

        Assert.Contains("'CMYK'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanarColourFrame_DecodesInterleaved()
    {
        // Two frames of 2 x 1 RGB, 16 bits, colour by plane: R1 R2 G1 G2 B1 B2 per frame.
        var description = new PixelDescription(1, 2, 3, 16, 16, 15, PixelRepresentation.Unsigned, PhotometricInterpretation.Rgb, PlanarConfiguration.Planar, 2);
        ushort[] planes = [1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16];
        byte[] pixelData = new byte[planes.Length * 2];
        Buffer.BlockCopy(planes, 0, pixelData, 0, pixelData.Length);
        var frame = new byte[description.FrameLength];

        NativePixelDecoder.DecodeFrame(pixelData, description, 1, bigEndian: false, frame);

        ushort[] interleaved = new ushort[6];
        Buffer.BlockCopy(frame, 0, interleaved, 0, frame.Length);
        Assert.Equal(new ushort[] { 11, 13, 15, 12, 14, 16 }, interleaved);
    }

    [Fact]
    public void TwelveBitsStored_SignExtendsAndMasks()
    {
        // 0xF800 holds garbage above bit 11 (unsigned: masked to 0x800) and 0x0800 is -2048 in 12-bit two's complement.
        byte[] pixelData = [0x00, 0xF8, 0x00, 0x08];
        var unsigned = new PixelDescription(1, 2, 1, 16, 12, 11, PixelRepresentation.Unsigned, PhotometricInterpretation.Monochrome2);
        var signed = new PixelDescription(1, 2, 1, 16, 12, 11, PixelRepresentation.Signed, PhotometricInterpretation.Monochrome1);
        var unsignedFrame = new byte[4];
        var signedFrame = new byte[4];

        NativePixelDecoder.DecodeFrame(pixelData, unsigned, 0, bigEndian: false, unsignedFrame);
        NativePixelDecoder.DecodeFrame(pixelData, signed, 0, bigEndian: false, signedFrame);

        Assert.Equal(0x0800, BitConverter.ToUInt16(unsignedFrame, 0));
        Assert.Equal(0x0800, BitConverter.ToUInt16(unsignedFrame, 2));
        Assert.Equal(-2048, BitConverter.ToInt16(signedFrame, 0));
        Assert.Equal(-2048, BitConverter.ToInt16(signedFrame, 2));
    }
}
