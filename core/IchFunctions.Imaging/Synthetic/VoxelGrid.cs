using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Maps between voxel indices [slice, row, column] of a volume and patient coordinates, for any series
/// geometry including gantry tilt.
/// </summary>
public sealed class VoxelGrid
{
    public VoxelGrid(SeriesGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        Slices = geometry.Slices.Count;
        Rows = geometry.Rows;
        Columns = geometry.Columns;
        ColumnStep = geometry.Slices[0].RowDirection * geometry.ColumnSpacing;
        RowStep = geometry.Slices[0].ColumnDirection * geometry.RowSpacing;
    }

    public SeriesGeometry Geometry { get; }

    public int Slices { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int SliceLength => Rows * Columns;

    public long Length => (long)Slices * SliceLength;

    /// <summary>Patient-space step from one column to the next, in mm.</summary>
    public Vector3D ColumnStep { get; }

    /// <summary>Patient-space step from one row to the next, in mm.</summary>
    public Vector3D RowStep { get; }

    public int Index(int slice, int row, int column) => (slice * SliceLength) + (row * Columns) + column;

    public Vector3D Position(int slice, int row, int column) =>
        Geometry.Slices[slice].Position + (RowStep * row) + (ColumnStep * column);

    /// <summary>
    /// Finds the voxel nearest to a patient-space point: the slice nearest along the normal, then the row and
    /// column within that slice's plane. Returns false when the point lies outside the volume.
    /// </summary>
    public bool TryLocate(Vector3D point, out int slice, out int row, out int column)
    {
        slice = NearestSlice(point.Dot(Geometry.Normal));
        Vector3D inPlane = point - Geometry.Slices[slice].Position;
        column = (int)Math.Round(inPlane.Dot(Geometry.Slices[slice].RowDirection) / Geometry.ColumnSpacing);
        row = (int)Math.Round(inPlane.Dot(Geometry.Slices[slice].ColumnDirection) / Geometry.RowSpacing);
        double sliceDistance = Math.Abs(point.Dot(Geometry.Normal) - Geometry.Distances[slice]);
        return row >= 0 && row < Rows && column >= 0 && column < Columns
            && sliceDistance <= Geometry.SlabThicknesses[slice];
    }

    /// <summary>Returns the inclusive range of slices whose centres lie within <paramref name="radiusMm"/> of a distance along the normal.</summary>
    public (int First, int Last) SliceRange(double distance, double radiusMm)
    {
        int first = 0;
        while (first < Slices && Geometry.Distances[first] < distance - radiusMm)
        {
            first++;
        }

        int last = Slices - 1;
        while (last >= 0 && Geometry.Distances[last] > distance + radiusMm)
        {
            last--;
        }

        return (first, last);
    }

    private int NearestSlice(double distance)
    {
        int best = 0;
        for (int i = 1; i < Slices; i++)
        {
            if (Math.Abs(Geometry.Distances[i] - distance) < Math.Abs(Geometry.Distances[best] - distance))
            {
                best = i;
            }
        }

        return best;
    }
}
