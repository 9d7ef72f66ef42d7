namespace IchFunctions.Imaging.Geometry;

/// <summary>
/// The slices of one series in anatomical order along their common normal, with the spacing and slab
/// thickness of each slice. Slabs make volumes in mL correct with overlap, gaps, mixed thickness and tilt.
/// </summary>
public sealed class SeriesGeometry
{
    internal SeriesGeometry(
        IReadOnlyList<SliceGeometry> slices,
        Vector3D normal,
        IReadOnlyList<double> distances,
        IReadOnlyList<double> slabThicknesses,
        double tiltDegrees,
        IReadOnlyList<GeometryFinding> findings)
    {
        Slices = slices;
        Normal = normal;
        Distances = distances;
        SlabThicknesses = slabThicknesses;
        TiltDegrees = tiltDegrees;
        Findings = findings;
    }

    /// <summary>Slices ordered by their position along <see cref="Normal"/>, lowest first.</summary>
    public IReadOnlyList<SliceGeometry> Slices { get; }

    /// <summary>The common slice normal (row direction cross column direction).</summary>
    public Vector3D Normal { get; }

    /// <summary>Each slice's Image Position (Patient) projected on the normal, in mm, ascending.</summary>
    public IReadOnlyList<double> Distances { get; }

    /// <summary>
    /// Thickness along the normal that each slice stands for, in mm: from the midpoint to its lower neighbour to
    /// the midpoint to its upper neighbour. The first and last slices extend outwards by half the smaller of
    /// their own thickness and their one neighbour distance. The slabs add up to the stack's covered extent.
    /// </summary>
    public IReadOnlyList<double> SlabThicknesses { get; }

    /// <summary>Angle between the slice normal and the stacking direction, in degrees (0 for an untilted series).</summary>
    public double TiltDegrees { get; }

    /// <summary>Duplicates, gaps, variable spacing, overlap, mixed thickness and tilt found while building the stack.</summary>
    public IReadOnlyList<GeometryFinding> Findings { get; }

    public int Rows => Slices[0].Rows;

    public int Columns => Slices[0].Columns;

    public double RowSpacing => Slices[0].RowSpacing;

    public double ColumnSpacing => Slices[0].ColumnSpacing;

    /// <summary>Distances between neighbouring slices along the normal, in mm (one fewer than the slices).</summary>
    public IReadOnlyList<double> Spacings => Enumerable.Range(0, Distances.Count - 1).Select(i => Distances[i + 1] - Distances[i]).ToArray();

    /// <summary>Returns the volume one pixel of slice <paramref name="sliceIndex"/> stands for, in mL.</summary>
    public double VoxelVolumeMl(int sliceIndex) => RowSpacing * ColumnSpacing * SlabThicknesses[sliceIndex] / 1000.0;
}
