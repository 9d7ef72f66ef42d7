using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Selection;

namespace IchFunctions.Imaging.Volumes;

/// <summary>
/// A CT series as one int16 Hounsfield-unit volume indexed [slice, row, column], slices in anatomical order
/// along the normal, with the geometry and the source instance of every slice.
/// </summary>
public sealed class HuVolume
{
    public HuVolume(SeriesGeometry geometry, IReadOnlyList<InstanceHeader> instances, short[] voxels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(voxels);
        if (instances.Count != geometry.Slices.Count || voxels.LongLength != (long)geometry.Slices.Count * geometry.Rows * geometry.Columns)
        {
            throw new ArgumentException($"{instances.Count} instances and {voxels.LongLength} voxels do not match {geometry.Slices.Count} slices of {geometry.Rows}x{geometry.Columns}.");
        }

        Geometry = geometry;
        Instances = instances;
        Voxels = voxels;
    }

    public SeriesGeometry Geometry { get; }

    /// <summary>The source instance of each slice, in the same order as the slices.</summary>
    public IReadOnlyList<InstanceHeader> Instances { get; }

    public short[] Voxels { get; }

    public int SliceCount => Geometry.Slices.Count;

    public int Rows => Geometry.Rows;

    public int Columns => Geometry.Columns;

    public Memory<short> Slice(int index) => Voxels.AsMemory(index * Rows * Columns, Rows * Columns);
}
