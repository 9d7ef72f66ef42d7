using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>One segment of a segmentation as its Segment Sequence item describes it.</summary>
/// <param name="Number">Segment Number (0062,0004).</param>
/// <param name="Label">Segment Label (0062,0005).</param>
/// <param name="Category">Segmented Property Category, or null when absent.</param>
/// <param name="Type">Segmented Property Type, or null when absent.</param>
/// <param name="AlgorithmType">Segment Algorithm Type (0062,0008) as written, for example AUTOMATIC.</param>
public sealed record Segment(int Number, string Label, CodedConcept? Category, CodedConcept? Type, string AlgorithmType);

/// <summary>Where one frame of a segmentation belongs.</summary>
/// <param name="SegmentNumber">Referenced Segment Number of the frame; 0 for LABELMAP frames, which hold every segment.</param>
/// <param name="ReferencedSopInstanceUids">SOP Instance UIDs of the source images the frame was derived from; empty when not referenced.</param>
/// <param name="Position">Image Position (Patient) of the frame, or null when absent.</param>
public sealed record SegmentationFrame(int SegmentNumber, IReadOnlyList<string> ReferencedSopInstanceUids, Vector3D? Position);

/// <summary>
/// A segmentation read from a DICOM SEG: its segments, the place of every frame, and the frames' pixels,
/// unpacked to one value per pixel (BINARY 0 or 1, FRACTIONAL 0 to <see cref="MaximumFractionalValue"/>,
/// LABELMAP the segment number).
/// </summary>
public sealed class Segmentation
{
    internal Segmentation(
        string sopInstanceUid, SegmentationType type, int maximumFractionalValue, int? pixelPaddingValue, int rows, int columns,
        Vector3D? rowDirection, Vector3D? columnDirection, IReadOnlyList<Segment> segments, IReadOnlyList<SegmentationFrame> frames, ushort[] pixels)
    {
        SopInstanceUid = sopInstanceUid;
        Type = type;
        MaximumFractionalValue = maximumFractionalValue;
        PixelPaddingValue = pixelPaddingValue;
        Rows = rows;
        Columns = columns;
        RowDirection = rowDirection;
        ColumnDirection = columnDirection;
        Segments = segments;
        Frames = frames;
        Pixels = pixels;
    }

    public string SopInstanceUid { get; }

    public SegmentationType Type { get; }

    /// <summary>Maximum Fractional Value of a FRACTIONAL segmentation; 1 for the other types.</summary>
    public int MaximumFractionalValue { get; }

    /// <summary>Pixel Padding Value of a LABELMAP: pixels with this value belong to no segment.</summary>
    public int? PixelPaddingValue { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Row direction from Image Orientation (Patient) of the plane orientation functional group; null when absent.</summary>
    public Vector3D? RowDirection { get; }

    public Vector3D? ColumnDirection { get; }

    public IReadOnlyList<Segment> Segments { get; }

    public IReadOnlyList<SegmentationFrame> Frames { get; }

    /// <summary>Pixel values of every frame, indexed [frame, row, column].</summary>
    public ushort[] Pixels { get; }

    /// <summary>
    /// Returns one mask per segment aligned to the given source slices (indexed [slice, row, column] in their
    /// order): a frame goes to the slice its referenced SOP Instance UID names, or, without a usable reference,
    /// to the slice at its Image Position (Patient). Values are 1 for BINARY and LABELMAP and the stored
    /// fraction for FRACTIONAL. Throws <see cref="InvalidDataException"/> naming the frame that fits no slice.
    /// </summary>
    public SegmentMasks ToMasks(IReadOnlyList<SliceGeometry> sourceSlices) => SegmentMaskBuilder.Build(this, sourceSlices);

    /// <summary>
    /// Returns one mask per segment on the planes of the segmentation itself: the distinct frame positions,
    /// ordered along the slice normal. For SEGs whose source images are not at hand.
    /// </summary>
    public SegmentMasks ToMasks() => SegmentMaskBuilder.Build(this, SegmentMaskBuilder.OwnPlanes(this));
}

/// <summary>Per-segment masks aligned to a list of slices.</summary>
public sealed class SegmentMasks
{
    internal SegmentMasks(IReadOnlyList<SliceGeometry> slices, int rows, int columns, IReadOnlyDictionary<int, byte[]> masks)
    {
        Slices = slices;
        Rows = rows;
        Columns = columns;
        Masks = masks;
    }

    /// <summary>The slices the masks are aligned to, in mask order.</summary>
    public IReadOnlyList<SliceGeometry> Slices { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Mask of each segment number, indexed [slice, row, column].</summary>
    public IReadOnlyDictionary<int, byte[]> Masks { get; }
}
