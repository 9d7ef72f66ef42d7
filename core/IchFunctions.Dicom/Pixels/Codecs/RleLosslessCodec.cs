using System.Buffers.Binary;
using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>
/// RLE Lossless (1.2.840.10008.1.2.5): a 64-byte header of segment offsets followed by one PackBits segment per
/// byte plane, most significant byte of each sample first (DICOM PS3.5 Annex G).
/// </summary>
public sealed class RleLosslessCodec : IPixelFrameCodec
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    public string Name => "RLE Lossless";

    /// <summary>Null: RLE has no start marker, and each frame must be exactly one fragment.</summary>
    public FrameStartDetector? FrameStartDetector => null;

    public void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        ReadOnlySpan<byte> frame = encodedFrame.Span;
        if (frame.Length < HeaderLength)
        {
            throw new DicomPixelDataException($"RLE frame has {frame.Length} bytes, fewer than its {HeaderLength}-byte header.");
        }

        int bytesPerSample = description.BytesPerSample;
        int expectedSegments = description.SamplesPerPixel * bytesPerSample;
        uint segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segmentCount != expectedSegments || segmentCount > MaxSegments)
        {
            throw new DicomPixelDataException(
                $"RLE header declares {segmentCount} segment(s) but {description.SamplesPerPixel} sample(s) of {description.BitsAllocated} bits "
                + $"need {expectedSegments}; the Bits Allocated or Samples per Pixel attributes do not match the pixel data.");
        }

        int pixels = description.Rows * description.Columns;
        int stride = description.SamplesPerPixel * bytesPerSample;
        for (int segment = 0; segment < expectedSegments; segment++)
        {
            uint start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (segment * 4))..]);
            uint end = segment + 1 < expectedSegments
                ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + (segment * 4))..])
                : (uint)frame.Length;
            if (start < HeaderLength || end < start || end > frame.Length)
            {
                throw new DicomPixelDataException(
                    $"RLE segment {segment} spans bytes {start} to {end} of a {frame.Length}-byte frame; the segment offsets are corrupt.");
            }

            // Segments run most significant byte first within each sample; the decoded layout is little endian.
            int sample = segment / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            int firstByte = (sample * bytesPerSample) + byteInSample;
            DecodeSegment(frame[(int)start..(int)end], destination[firstByte..], pixels, stride, segment);
        }

        PixelSampleBits.Normalize(destination[..description.FrameLength], description);
    }

    private static void DecodeSegment(ReadOnlySpan<byte> segment, Span<byte> destination, int count, int stride, int segmentIndex)
    {
        int input = 0;
        int output = 0;
        while (output < count && input < segment.Length)
        {
            int header = (sbyte)segment[input++];
            if (header >= 0)
            {
                int literal = header + 1;
                if (input + literal > segment.Length)
                {
                    throw new DicomPixelDataException(
                        $"RLE segment {segmentIndex} has a literal run of {literal} bytes at byte {input - 1} that passes its end ({segment.Length} bytes).");
                }

                literal = Math.Min(literal, count - output);
                for (int i = 0; i < literal; i++)
                {
                    destination[output++ * stride] = segment[input + i];
                }

                input += header + 1;
            }
            else if (header != -128)
            {
                if (input >= segment.Length)
                {
                    throw new DicomPixelDataException($"RLE segment {segmentIndex} ends inside a replicate run at byte {input - 1}.");
                }

                byte value = segment[input++];
                int repeat = Math.Min(1 - header, count - output);
                for (int i = 0; i < repeat; i++)
                {
                    destination[output++ * stride] = value;
                }
            }
        }

        if (output < count)
        {
            throw new DicomPixelDataException(
                $"RLE segment {segmentIndex} decodes to {output} bytes but the image needs {count}; the pixel data is truncated or corrupt.");
        }
    }
}
