using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>Visits the voxels within a radius of a patient-space point, slice by slice, for any tilt.</summary>
internal static class LesionRegion
{
    public delegate void VoxelVisitor(int index, Vector3D position, double distanceMm);

    public static void Visit(VoxelGrid grid, Vector3D centre, double radiusMm, VoxelVisitor visitor)
    {
        SeriesGeometry geometry = grid.Geometry;
        (int first, int last) = grid.SliceRange(centre.Dot(geometry.Normal), radiusMm);
        int rowReach = (int)Math.Ceiling(radiusMm / geometry.RowSpacing) + 1;
        int columnReach = (int)Math.Ceiling(radiusMm / geometry.ColumnSpacing) + 1;
        for (int slice = first; slice <= last; slice++)
        {
            SliceGeometry plane = geometry.Slices[slice];
            Vector3D inPlane = centre - plane.Position;
            int centreColumn = (int)Math.Round(inPlane.Dot(plane.RowDirection) / geometry.ColumnSpacing);
            int centreRow = (int)Math.Round(inPlane.Dot(plane.ColumnDirection) / geometry.RowSpacing);
            int rowStart = Math.Max(0, centreRow - rowReach);
            int rowEnd = Math.Min(grid.Rows - 1, centreRow + rowReach);
            int columnStart = Math.Max(0, centreColumn - columnReach);
            int columnEnd = Math.Min(grid.Columns - 1, centreColumn + columnReach);
            for (int row = rowStart; row <= rowEnd; row++)
            {
                for (int column = columnStart; column <= columnEnd; column++)
                {
                    Vector3D position = grid.Position(slice, row, column);
                    double distance = (position - centre).Length;
                    if (distance <= radiusMm)
                    {
                        visitor(grid.Index(slice, row, column), position, distance);
                    }
                }
            }
        }
    }
}
