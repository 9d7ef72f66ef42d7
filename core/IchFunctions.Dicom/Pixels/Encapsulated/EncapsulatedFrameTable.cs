using System.Buffers;
using System.Buffers.Binary;

namespace IchFunctions.Dicom.Pixels.Encapsulated;

/// <summary>Tells whether a fragment starts a new frame, from the codestream's first bytes.</summary>
public delegate bool FrameStartDetector(ReadOnlySpan<byte> fragment);

/// <summary>
/// Maps frames to fragments of encapsulated pixel data: from the Extended Offset Table when present, else from
/// the Basic Offset Table, else by rule (one frame, one fragment per frame, or codestream start markers).
/// </summary>
public sealed class EncapsulatedFrameTable
{
    private readonly EncapsulatedPixelData _pixelData;
    private readonly FrameLocation[] _frames;

    private EncapsulatedFrameTable(EncapsulatedPixelData pixelData, FrameLocation[] frames)
    {
        _pixelData = pixelData;
        _frames = frames;
    }

    /// <summary>Number of frames in the table.</summary>
    public int Count => _frames.Length;

    /// <summary>
    /// Builds the frame table of <paramref name="pixelData"/> for <paramref name="numberOfFrames"/> frames.
    /// </summary>
    /// <param name="pixelData">Offset tables and fragments.</param>
    /// <param name="numberOfFrames">Number of Frames (0028,0008), 1 when absent.</param>
    /// <param name="isFrameStart">Recognises a codestream start when the offset tables are empty; null when the
    /// transfer syntax has no start marker (RLE), so each frame must be one fragment.</param>
    /// <exception cref="DicomPixelDataException">The tables or fragments do not match the number of frames.</exception>
    public static EncapsulatedFrameTable Build(EncapsulatedPixelData pixelData, int numberOfFrames, FrameStartDetector? isFrameStart)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfFrames, 1);
        int fragmentCount = pixelData.Fragments.Count;
        if (fragmentCount < numberOfFrames)
        {
            // Checked before any table is allocated, so a corrupt Number of Frames cannot size an allocation.
            throw new DicomPixelDataException(
                $"Encapsulated Pixel Data has {fragmentCount} fragment(s) but Number of Frames (0028,0008) is {numberOfFrames}; "
                + "every frame needs at least one fragment. The file is truncated or Number of Frames is wrong.");
        }

        long[] positions = FragmentPositions(pixelData.Fragments);
        FrameLocation[] frames;
        if (!pixelData.ExtendedOffsetTable.IsEmpty)
        {
            frames = FromExtendedOffsetTable(pixelData, numberOfFrames, positions);
        }
        else if (!pixelData.BasicOffsetTable.IsEmpty)
        {
            frames = FromBasicOffsetTable(pixelData.BasicOffsetTable.Span, numberOfFrames, positions);
        }
        else
        {
            frames = FromFragments(pixelData.Fragments, numberOfFrames, isFrameStart);
        }

        return new EncapsulatedFrameTable(pixelData, frames);
    }

    /// <summary>
    /// Returns the encoded bytes of frame <paramref name="frameIndex"/>. Dispose the result to return the pooled
    /// buffer used when the frame spans several fragments.
    /// </summary>
    public EncapsulatedFrame GetFrame(int frameIndex)
    {
        if ((uint)frameIndex >= (uint)_frames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex, $"Frame index must be 0 to {_frames.Length - 1}.");
        }

        FrameLocation frame = _frames[frameIndex];
        IReadOnlyList<ReadOnlyMemory<byte>> fragments = _pixelData.Fragments;
        if (frame.FragmentCount == 1)
        {
            ReadOnlyMemory<byte> only = fragments[frame.FirstFragment];
            if (frame.Length > only.Length)
            {
                throw new DicomPixelDataException(
                    $"Extended Offset Table Lengths (7FE0,0002) gives frame {frameIndex} {frame.Length} bytes but its fragment "
                    + $"at offset {frame.Offset} holds {only.Length}; the table or the pixel data is corrupt.");
            }

            return new EncapsulatedFrame(frame.Length >= 0 ? only[..(int)frame.Length] : only, null, frame.Offset);
        }

        long total = 0;
        for (int i = 0; i < frame.FragmentCount; i++)
        {
            total += fragments[frame.FirstFragment + i].Length;
        }

        if (total > int.MaxValue - 64)
        {
            throw new DicomPixelDataException(
                $"Frame {frameIndex} spans {frame.FragmentCount} fragments totalling {total} bytes, more than one frame may hold.");
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)total);
        int written = 0;
        for (int i = 0; i < frame.FragmentCount; i++)
        {
            ReadOnlySpan<byte> fragment = fragments[frame.FirstFragment + i].Span;
            fragment.CopyTo(rented.AsSpan(written));
            written += fragment.Length;
        }

        return new EncapsulatedFrame(rented.AsMemory(0, written), rented, frame.Offset);
    }

    private static long[] FragmentPositions(IReadOnlyList<ReadOnlyMemory<byte>> fragments)
    {
        var positions = new long[fragments.Count];
        long position = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            positions[i] = position;
            position += EncapsulatedPixelData.ItemHeaderLength + fragments[i].Length;
        }

        return positions;
    }

    private static FrameLocation[] FromBasicOffsetTable(ReadOnlySpan<byte> table, int numberOfFrames, long[] positions)
    {
        if (table.Length % 4 != 0 || table.Length / 4 != numberOfFrames)
        {
            throw new DicomPixelDataException(
                $"Basic Offset Table holds {table.Length} bytes but Number of Frames (0028,0008) is {numberOfFrames}, "
                + $"which needs {numberOfFrames * 4L} bytes (one 32-bit offset per frame).");
        }

        var offsets = new long[numberOfFrames];
        for (int i = 0; i < numberOfFrames; i++)
        {
            offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(table[(i * 4)..]);
        }

        return FromOffsets(offsets, null, positions, "Basic Offset Table");
    }

    private static FrameLocation[] FromExtendedOffsetTable(EncapsulatedPixelData pixelData, int numberOfFrames, long[] positions)
    {
        ReadOnlySpan<byte> table = pixelData.ExtendedOffsetTable.Span;
        ReadOnlySpan<byte> lengthTable = pixelData.ExtendedOffsetTableLengths.Span;
        if (table.Length % 8 != 0 || table.Length / 8 != numberOfFrames)
        {
            throw new DicomPixelDataException(
                $"Extended Offset Table (7FE0,0001) holds {table.Length} bytes but Number of Frames (0028,0008) is {numberOfFrames}, "
                + $"which needs {numberOfFrames * 8L} bytes (one 64-bit offset per frame).");
        }

        if (lengthTable.Length != table.Length)
        {
            throw new DicomPixelDataException(
                $"Extended Offset Table Lengths (7FE0,0002) holds {lengthTable.Length} bytes but the Extended Offset Table "
                + $"holds {table.Length}; both need one 64-bit value per frame.");
        }

        var offsets = new long[numberOfFrames];
        var lengths = new long[numberOfFrames];
        for (int i = 0; i < numberOfFrames; i++)
        {
            offsets[i] = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(table[(i * 8)..]), long.MaxValue);
            lengths[i] = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(lengthTable[(i * 8)..]), long.MaxValue);
        }

        return FromOffsets(offsets, lengths, positions, "Extended Offset Table (7FE0,0001)");
    }

    private static FrameLocation[] FromOffsets(long[] offsets, long[]? lengths, long[] positions, string tableName)
    {
        var frames = new FrameLocation[offsets.Length];
        int fragment = 0;
        for (int frame = 0; frame < offsets.Length; frame++)
        {
            long offset = offsets[frame];
            while (fragment < positions.Length && positions[fragment] < offset)
            {
                fragment++;
            }

            if (fragment == positions.Length || positions[fragment] != offset)
            {
                throw new DicomPixelDataException(
                    $"{tableName} gives offset {offset} for frame {frame}, which is not the start of a fragment item "
                    + $"(fragment items start at {DescribePositions(positions)}). The offsets are corrupt or not increasing.");
            }

            frames[frame] = new FrameLocation(fragment, 0, offset, -1);
        }

        for (int frame = 0; frame < frames.Length; frame++)
        {
            int end = frame + 1 < frames.Length ? frames[frame + 1].FirstFragment : positions.Length;
            int count = end - frames[frame].FirstFragment;
            if (count < 1)
            {
                throw new DicomPixelDataException(
                    $"{tableName} gives frames {frame} and {frame + 1} the same offset {frames[frame].Offset}.");
            }

            long length = -1;
            if (lengths is not null)
            {
                if (count != 1)
                {
                    throw new DicomPixelDataException(
                        $"{tableName} places frame {frame} over {count} fragments; with an Extended Offset Table each frame must be one fragment.");
                }

                length = lengths[frame];
            }

            frames[frame] = frames[frame] with { FragmentCount = count, Length = length };
        }

        return frames;
    }

    private static FrameLocation[] FromFragments(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int numberOfFrames, FrameStartDetector? isFrameStart)
    {
        var frames = new FrameLocation[numberOfFrames];
        long[] positions = FragmentPositions(fragments);
        if (numberOfFrames == 1)
        {
            frames[0] = new FrameLocation(0, fragments.Count, 0, -1);
            return frames;
        }

        if (fragments.Count == numberOfFrames)
        {
            for (int i = 0; i < numberOfFrames; i++)
            {
                frames[i] = new FrameLocation(i, 1, positions[i], -1);
            }

            return frames;
        }

        if (isFrameStart is null)
        {
            throw new DicomPixelDataException(
                $"Encapsulated Pixel Data has {fragments.Count} fragments for {numberOfFrames} frames and an empty Basic Offset Table; "
                + "this transfer syntax requires exactly one fragment per frame.");
        }

        int found = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            if (!isFrameStart(fragments[i].Span))
            {
                if (i == 0)
                {
                    throw new DicomPixelDataException(
                        "The first fragment of Encapsulated Pixel Data does not start with a codestream start marker; the pixel data is corrupt.");
                }

                continue;
            }

            if (found == numberOfFrames)
            {
                throw new DicomPixelDataException(
                    $"Encapsulated Pixel Data holds more than the {numberOfFrames} codestreams that Number of Frames (0028,0008) declares.");
            }

            frames[found++] = new FrameLocation(i, 0, positions[i], -1);
        }

        if (found != numberOfFrames)
        {
            throw new DicomPixelDataException(
                $"Encapsulated Pixel Data holds {found} codestream(s) but Number of Frames (0028,0008) is {numberOfFrames}.");
        }

        for (int frame = 0; frame < frames.Length; frame++)
        {
            int end = frame + 1 < frames.Length ? frames[frame + 1].FirstFragment : fragments.Count;
            frames[frame] = frames[frame] with { FragmentCount = end - frames[frame].FirstFragment };
        }

        return frames;
    }

    private static string DescribePositions(long[] positions)
    {
        const int Shown = 8;
        string listed = string.Join(", ", positions.Take(Shown));
        return positions.Length > Shown ? listed + ", ..." : listed;
    }

    private readonly record struct FrameLocation(int FirstFragment, int FragmentCount, long Offset, long Length);
}
