using System.Globalization;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>Places the frames of a segmentation onto slices and splits them into per-segment masks.</summary>
internal static class SegmentMaskBuilder
{
    /// <summary>Largest distance in mm between a frame's position and a slice's position that still counts as the same plane.</summary>
    private const double PositionToleranceMm = 0.01;

    public static SegmentMasks Build(Segmentation segmentation, IReadOnlyList<SliceGeometry> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0)
        {
            throw new ArgumentException("Pass at least one source slice to align the segmentation to.", nameof(slices));
        }

        int rows = segmentation.Rows, columns = segmentation.Columns, frameLength = rows * columns;
        foreach (SliceGeometry slice in slices)
        {
            if (slice.Rows != rows || slice.Columns != columns)
            {
                throw new ArgumentException(
                    $"Source slice {slice.SopInstanceUid} is {slice.Rows}x{slice.Columns} but the segmentation frames are {rows}x{columns}.", nameof(slices));
            }
        }

        var sliceByUid = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < slices.Count; i++)
        {
            sliceByUid.TryAdd(slices[i].SopInstanceUid, i);
        }

        Dictionary<int, byte[]> masks = segmentation.Segments.ToDictionary(segment => segment.Number, _ => new byte[slices.Count * frameLength]);
        for (int frame = 0; frame < segmentation.Frames.Count; frame++)
        {
            SegmentationFrame info = segmentation.Frames[frame];
            int slice = FindSlice(info, frame, slices, sliceByUid);
            ReadOnlySpan<ushort> pixels = segmentation.Pixels.AsSpan(frame * frameLength, frameLength);
            if (segmentation.Type == SegmentationType.Labelmap)
            {
                AddLabelmapFrame(segmentation, pixels, masks, slice * frameLength);
            }
            else if (masks.TryGetValue(info.SegmentNumber, out byte[]? mask))
            {
                AddFrame(pixels, mask.AsSpan(slice * frameLength, frameLength));
            }
            else
            {
                throw new InvalidDataException(
                    $"Frame {frame + 1} refers to segment {info.SegmentNumber}, which the Segment Sequence does not describe.");
            }
        }

        return new SegmentMasks(slices, rows, columns, masks);
    }

    /// <summary>Returns the distinct frame positions ordered along the normal, as slices without SOP Instance UIDs.</summary>
    public static IReadOnlyList<SliceGeometry> OwnPlanes(Segmentation segmentation)
    {
        if (segmentation.RowDirection is not { } row || segmentation.ColumnDirection is not { } column)
        {
            throw new InvalidDataException("The segmentation has no Image Orientation (Patient), so its frames cannot be placed without the source images.");
        }

        Vector3D normal = row.Cross(column).Normalize();
        var planes = new List<Vector3D>();
        for (int frame = 0; frame < segmentation.Frames.Count; frame++)
        {
            Vector3D position = segmentation.Frames[frame].Position
                ?? throw new InvalidDataException($"Frame {frame + 1} has no Image Position (Patient), so it cannot be placed without the source images.");
            if (!planes.Any(plane => (plane - position).Length <= PositionToleranceMm))
            {
                planes.Add(position);
            }
        }

        return [.. planes.OrderBy(position => position.Dot(normal)).Select((position, i) => new SliceGeometry(
            string.Create(CultureInfo.InvariantCulture, $"plane-{i + 1}"), position, row, column, 1, 1, null, segmentation.Rows, segmentation.Columns))];
    }

    private static int FindSlice(SegmentationFrame frame, int frameIndex, IReadOnlyList<SliceGeometry> slices, Dictionary<string, int> sliceByUid)
    {
        foreach (string uid in frame.ReferencedSopInstanceUids)
        {
            if (sliceByUid.TryGetValue(uid, out int slice))
            {
                return slice;
            }
        }

        if (frame.Position is { } position)
        {
            for (int i = 0; i < slices.Count; i++)
            {
                if ((slices[i].Position - position).Length <= PositionToleranceMm)
                {
                    return i;
                }
            }
        }

        throw new InvalidDataException(
            $"Frame {frameIndex + 1} (references: {(frame.ReferencedSopInstanceUids.Count == 0 ? "none" : string.Join(", ", frame.ReferencedSopInstanceUids))}; "
            + $"position {frame.Position?.ToString() ?? "none"}) matches none of the {slices.Count} source slices; pass the series the segmentation was made on.");
    }

    private static void AddFrame(ReadOnlySpan<ushort> pixels, Span<byte> target)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            byte value = (byte)Math.Min(pixels[i], byte.MaxValue);
            if (value > target[i])
            {
                target[i] = value;
            }
        }
    }

    private static void AddLabelmapFrame(Segmentation segmentation, ReadOnlySpan<ushort> pixels, Dictionary<int, byte[]> masks, int offset)
    {
        int padding = segmentation.PixelPaddingValue ?? -1;
        for (int i = 0; i < pixels.Length; i++)
        {
            int label = pixels[i];
            if (label != padding && masks.TryGetValue(label, out byte[]? mask))
            {
                mask[offset + i] = 1;
            }
        }
    }
}
