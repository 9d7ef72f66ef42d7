using IchFunctions.Imaging.Outputs.Seg;

namespace IchFunctions.Imaging.Tests.Outputs.Seg;

public sealed class SegmentationPixelsTests
{
    [Fact]
    public void PackBits_FirstPixel_IsLeastSignificantBit()
    {
        byte[] packed = SegmentationPixels.PackBits([1, 0, 0, 0, 0, 0, 0, 1, 0, 1]);

        Assert.Equal(new byte[] { 0x81, 0x02 }, packed);
    }

    [Fact]
    public void PackBits_OddBitCount_PadsToEvenBytes()
    {
        Assert.Equal(2, SegmentationPixels.PackBits(new byte[3]).Length);
        Assert.Equal(4, SegmentationPixels.PackBits(new byte[17]).Length);
    }

    [Fact]
    public void UnpackBits_FramesNotByteAligned_RoundTrip()
    {
        // Three 5x5 frames: each frame is 25 bits, so frames 2 and 3 start inside a byte.
        byte[] mask = [.. Enumerable.Range(0, 75).Select(i => (byte)((i * 7) % 3 == 0 ? 1 : 0))];
        byte[] packed = SegmentationPixels.PackBits(mask);

        for (int frame = 0; frame < 3; frame++)
        {
            var unpacked = new byte[25];
            SegmentationPixels.UnpackBits(packed, frame * 25L, unpacked);
            Assert.Equal(mask.AsSpan(frame * 25, 25).ToArray(), unpacked);
        }
    }

    [Fact]
    public void UnpackBits_TooFewBytes_ThrowsNamingLength()
    {
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SegmentationPixels.UnpackBits(new byte[2], 10, new byte[10]));

        Assert.Contains("2 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantize_Probabilities_RoundToNearestStep()
    {
        byte[] pixels = SegmentationPixels.Quantize([0f, 1f, 0.5f, 0.002f]);

        Assert.Equal(new byte[] { 0, 255, 128, 1 }, pixels);
    }

    [Fact]
    public void Quantize_NaN_ThrowsNamingIndex()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SegmentationPixels.Quantize([0f, float.NaN]));

        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }
}
