namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>Encodes masks and probabilities as the Pixel Data of a segmentation, and decodes it back.</summary>
public static class SegmentationPixels
{
    /// <summary>
    /// Packs a mask (any nonzero value is foreground) into BINARY pixel data: one bit per pixel, the first
    /// pixel in the least significant bit, frames following each other without padding, the whole padded to
    /// even length.
    /// </summary>
    public static byte[] PackBits(ReadOnlySpan<byte> mask)
    {
        long bytes = (mask.Length + 7L) / 8;
        var packed = new byte[bytes + (bytes % 2)];
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] != 0)
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return packed;
    }

    /// <summary>Unpacks as many bits as <paramref name="target"/> holds, starting at bit <paramref name="firstBit"/> into 0/1 bytes.</summary>
    public static void UnpackBits(ReadOnlySpan<byte> packed, long firstBit, Span<byte> target)
    {
        long lastBit = firstBit + target.Length;
        if (lastBit > packed.Length * 8L)
        {
            throw new InvalidDataException(
                $"BINARY Pixel Data has {packed.Length} bytes, too short for bits {firstBit} to {lastBit - 1}; the file is truncated or its frame count is wrong.");
        }

        for (int i = 0; i < target.Length; i++)
        {
            long bit = firstBit + i;
            target[i] = (byte)((packed[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
        }
    }

    /// <summary>
    /// Quantises probabilities (0 to 1) to FRACTIONAL pixel data with Maximum Fractional Value 255, rounding
    /// to the nearest step. Throws naming the first value outside 0..1 or not a number.
    /// </summary>
    public static byte[] Quantize(ReadOnlySpan<float> probabilities)
    {
        var pixels = new byte[probabilities.Length + (probabilities.Length % 2)];
        for (int i = 0; i < probabilities.Length; i++)
        {
            float value = probabilities[i];
            if (!(value >= 0 && value <= 1))
            {
                throw new ArgumentException($"Probability {value} at index {i} is outside 0..1; pass model probabilities, not logits.", nameof(probabilities));
            }

            pixels[i] = (byte)MathF.Round(value * 255, MidpointRounding.AwayFromZero);
        }

        return pixels;
    }
}
