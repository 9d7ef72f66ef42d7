using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Native;

/// <summary>
/// Extracts frames from native (uncompressed) Pixel Data (7FE0,0010) into the decoded layout described by
/// <see cref="PixelDescription"/>: little endian, interleaved, masked or sign-extended.
/// </summary>
public static class NativePixelDecoder
{
    /// <summary>
    /// Decodes frame <paramref name="frameIndex"/> of native pixel data into <paramref name="destination"/>,
    /// which must hold at least <see cref="PixelDescription.FrameLength"/> bytes.
    /// </summary>
    /// <param name="pixelData">The value of Pixel Data, all frames, without the element header.</param>
    /// <param name="description">The image pixel attributes.</param>
    /// <param name="frameIndex">Zero-based frame number.</param>
    /// <param name="bigEndian">True for Explicit VR Big Endian, whose 16- and 32-bit samples are byte-swapped.</param>
    /// <param name="destination">Receives the decoded frame.</param>
    /// <exception cref="DicomPixelDataException">The pixel data is shorter than the attributes require.</exception>
    public static void DecodeFrame(
        ReadOnlySpan<byte> pixelData,
        PixelDescription description,
        int frameIndex,
        bool bigEndian,
        Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        int frameLength = description.FrameLength;
        CheckDestination(destination, frameLength);
        ReadOnlySpan<byte> source = SliceFrame(pixelData, description, frameIndex);
        Span<byte> output = destination[..frameLength];
        bool planar = description.SamplesPerPixel > 1 && description.PlanarConfiguration == PlanarConfiguration.Planar;
        if (planar)
        {
            PlanarToInterleaved(source, output, description);
        }
        else
        {
            source.CopyTo(output);
        }

        if (bigEndian)
        {
            SwapToLittleEndian(output, description.BitsAllocated);
        }

        PixelSampleBits.Normalize(output, description);
    }

    /// <summary>Returns the bytes of one frame after checking that the pixel data holds them.</summary>
    internal static ReadOnlySpan<byte> SliceFrame(ReadOnlySpan<byte> pixelData, PixelDescription description, int frameIndex)
    {
        CheckFrameIndex(description, frameIndex);
        int frameLength = description.FrameLength;
        long start = (long)frameIndex * frameLength;
        long end = start + frameLength;
        if (pixelData.Length < end)
        {
            throw new DicomPixelDataException(
                $"Pixel Data (7FE0,0010) holds {pixelData.Length} bytes but frame {frameIndex} needs bytes {start} to {end} "
                + $"({description.NumberOfFrames} frame(s) of {description.Rows} x {description.Columns} x "
                + $"{description.SamplesPerPixel} samples of {description.BitsAllocated} bits need {description.TotalLength} bytes). "
                + "The file is truncated or its image pixel attributes are wrong.");
        }

        return pixelData.Slice((int)start, frameLength);
    }

    internal static void CheckFrameIndex(PixelDescription description, int frameIndex)
    {
        if ((uint)frameIndex >= (uint)description.NumberOfFrames)
        {
            throw new ArgumentOutOfRangeException(
                nameof(frameIndex),
                frameIndex,
                $"Frame index must be 0 to {description.NumberOfFrames - 1} because Number of Frames is {description.NumberOfFrames}.");
        }
    }

    internal static void CheckDestination(Span<byte> destination, int frameLength)
    {
        if (destination.Length < frameLength)
        {
            throw new ArgumentException(
                $"Destination has {destination.Length} bytes but one decoded frame needs {frameLength}.",
                nameof(destination));
        }
    }

    /// <summary>Converts Planar Configuration 1 (R plane, G plane, B plane) into interleaved samples.</summary>
    internal static void PlanarToInterleaved(ReadOnlySpan<byte> source, Span<byte> destination, PixelDescription description)
    {
        int pixels = description.Rows * description.Columns;
        int sampleBytes = description.BytesPerSample;
        int samples = description.SamplesPerPixel;
        int planeLength = pixels * sampleBytes;
        for (int sample = 0; sample < samples; sample++)
        {
            ReadOnlySpan<byte> plane = source.Slice(sample * planeLength, planeLength);
            for (int pixel = 0; pixel < pixels; pixel++)
            {
                plane.Slice(pixel * sampleBytes, sampleBytes)
                    .CopyTo(destination.Slice(((pixel * samples) + sample) * sampleBytes, sampleBytes));
            }
        }
    }

    private static void SwapToLittleEndian(Span<byte> samples, int bitsAllocated)
    {
        if (bitsAllocated == 16)
        {
            Span<ushort> words = MemoryMarshal.Cast<byte, ushort>(samples);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else if (bitsAllocated == 32)
        {
            Span<uint> words = MemoryMarshal.Cast<byte, uint>(samples);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }
}
