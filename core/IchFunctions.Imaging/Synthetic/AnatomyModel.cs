using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Per-voxel tissue labels and depth below the inner table of the skull, which the lesion painter uses to
/// place each kind of hemorrhage where it occurs. Built analytically for the synthetic head, or estimated
/// from the HU values of a real series.
/// </summary>
public sealed class AnatomyModel
{
    public AnatomyModel(VoxelGrid grid, TissueClass[] tissue, float[] depthMm, Vector3D centre, Vector3D lateral, Vector3D posterior)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(tissue);
        ArgumentNullException.ThrowIfNull(depthMm);
        if (tissue.LongLength != grid.Length || depthMm.LongLength != grid.Length)
        {
            throw new ArgumentException($"Tissue ({tissue.LongLength}) and depth ({depthMm.LongLength}) maps must have one value per voxel ({grid.Length}).");
        }

        Grid = grid;
        Tissue = tissue;
        DepthMm = depthMm;
        Centre = centre;
        Lateral = lateral.Normalize();
        Posterior = posterior.Normalize();
        (FirstBrainSlice, LastBrainSlice) = FindBrainSlices();
    }

    public VoxelGrid Grid { get; }

    /// <summary>Tissue label per voxel, indexed [slice, row, column].</summary>
    public TissueClass[] Tissue { get; }

    /// <summary>Distance below the inner table of the skull in mm for intracranial voxels; 0 elsewhere.</summary>
    public float[] DepthMm { get; }

    /// <summary>Centre of the intracranial space, in patient coordinates.</summary>
    public Vector3D Centre { get; }

    /// <summary>Unit direction towards the patient's left.</summary>
    public Vector3D Lateral { get; }

    /// <summary>Unit direction towards the patient's back.</summary>
    public Vector3D Posterior { get; }

    public int FirstBrainSlice { get; }

    public int LastBrainSlice { get; }

    public static bool IsIntracranial(TissueClass tissue) => tissue is TissueClass.Csf or TissueClass.GreyMatter
        or TissueClass.WhiteMatter or TissueClass.DeepGrey or TissueClass.Ventricle;

    public static bool IsBrainTissue(TissueClass tissue) => tissue is TissueClass.GreyMatter
        or TissueClass.WhiteMatter or TissueClass.DeepGrey;

    /// <summary>Returns the direction in the axial plane for an azimuth: 0 left, 90 posterior, 180 right, 270 anterior.</summary>
    public Vector3D Direction(double azimuthDegrees)
    {
        double radians = azimuthDegrees * Math.PI / 180;
        return ((Lateral * Math.Cos(radians)) + (Posterior * Math.Sin(radians))).Normalize();
    }

    /// <summary>Returns the point on the slice axis at a height between the first (0) and last (1) brain slice.</summary>
    public Vector3D AxisPoint(double heightFraction)
    {
        double first = Grid.Geometry.Distances[FirstBrainSlice];
        double last = Grid.Geometry.Distances[LastBrainSlice];
        double target = first + ((last - first) * heightFraction);
        Vector3D normal = Grid.Geometry.Normal;
        return Centre + (normal * (target - Centre.Dot(normal)));
    }

    /// <summary>
    /// Walks from <paramref name="start"/> along <paramref name="direction"/> and returns the last intracranial
    /// point before the skull, or null when the ray leaves the volume without reaching bone.
    /// </summary>
    public Vector3D? InnerTable(Vector3D start, Vector3D direction)
    {
        const double StepMm = 0.25;
        Vector3D? lastInside = null;
        for (double travelled = 0; travelled < 400; travelled += StepMm)
        {
            Vector3D point = start + (direction * travelled);
            if (!Grid.TryLocate(point, out int slice, out int row, out int column))
            {
                return null;
            }

            TissueClass tissue = Tissue[Grid.Index(slice, row, column)];
            if (IsIntracranial(tissue))
            {
                lastInside = point;
            }
            else if (tissue == TissueClass.Bone && lastInside is not null)
            {
                return lastInside;
            }
        }

        return null;
    }

    private (int First, int Last) FindBrainSlices()
    {
        int first = -1;
        int last = -1;
        int minimum = Math.Max(50, Grid.SliceLength / 200);
        for (int slice = 0; slice < Grid.Slices; slice++)
        {
            int count = 0;
            ReadOnlySpan<TissueClass> labels = Tissue.AsSpan(slice * Grid.SliceLength, Grid.SliceLength);
            foreach (TissueClass label in labels)
            {
                if (IsBrainTissue(label))
                {
                    count++;
                }
            }

            if (count >= minimum)
            {
                first = first < 0 ? slice : first;
                last = slice;
            }
        }

        if (first < 0)
        {
            throw new InvalidOperationException("No slice contains enough brain tissue to place a lesion; is this a head CT?");
        }

        return (first, last);
    }
}
