using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>Ground truth of one simulated lesion, measured on the final label map.</summary>
/// <param name="Label">Value of the lesion's voxels in <see cref="SyntheticExam.Labels"/>.</param>
/// <param name="Kind">The kind of hemorrhage.</param>
/// <param name="VoxelCount">Number of voxels labelled with this lesion.</param>
/// <param name="VolumeMl">Volume in mL: the voxels' pixel area times their slab thickness.</param>
public sealed record LesionTruth(byte Label, HemorrhageKind Kind, int VoxelCount, double VolumeMl);

/// <summary>A head CT volume with simulated hemorrhage and its exact ground truth.</summary>
public sealed class SyntheticExam
{
    public SyntheticExam(SeriesGeometry geometry, short[] hu, byte[] labels, IReadOnlyList<LesionTruth> lesions)
    {
        Geometry = geometry;
        Hu = hu;
        Labels = labels;
        Lesions = lesions;
    }

    public SeriesGeometry Geometry { get; }

    /// <summary>Hounsfield units indexed [slice, row, column], slices in anatomical order.</summary>
    public short[] Hu { get; }

    /// <summary>Lesion label per voxel (0 for none), indexed like <see cref="Hu"/>.</summary>
    public byte[] Labels { get; }

    public IReadOnlyList<LesionTruth> Lesions { get; }

    /// <summary>Total hemorrhage volume in mL.</summary>
    public double HemorrhageVolumeMl => Lesions.Sum(lesion => lesion.VolumeMl);

    /// <summary>Measures every lesion on the label map, so overlapping lesions are counted once, for the later one.</summary>
    internal static IReadOnlyList<LesionTruth> Measure(SeriesGeometry geometry, byte[] labels, IReadOnlyList<LesionSpec> specs)
    {
        var counts = new int[specs.Count + 1];
        var volumes = new double[specs.Count + 1];
        int sliceLength = geometry.Rows * geometry.Columns;
        for (int slice = 0; slice < geometry.Slices.Count; slice++)
        {
            double voxelMl = geometry.VoxelVolumeMl(slice);
            ReadOnlySpan<byte> plane = labels.AsSpan(slice * sliceLength, sliceLength);
            foreach (byte label in plane)
            {
                if (label != 0)
                {
                    counts[label]++;
                    volumes[label] += voxelMl;
                }
            }
        }

        return specs.Select((spec, i) => new LesionTruth((byte)(i + 1), spec.Kind, counts[i + 1], volumes[i + 1])).ToArray();
    }
}
