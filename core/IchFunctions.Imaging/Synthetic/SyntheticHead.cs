using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>Builds the geometry, anatomy and noiseless HU values of a synthetic head CT.</summary>
internal static class SyntheticHead
{
    private static readonly Dictionary<TissueClass, short> TissueHu = new()
    {
        [TissueClass.Air] = -1000,
        [TissueClass.Scalp] = 15,
        [TissueClass.Csf] = 6,
        [TissueClass.GreyMatter] = 38,
        [TissueClass.WhiteMatter] = 27,
        [TissueClass.DeepGrey] = 35,
        [TissueClass.Ventricle] = 4,
    };

    /// <summary>Returns the slice geometry of an axial series through a head centred at the origin.</summary>
    public static SeriesGeometry CreateGeometry(SyntheticExamOptions options, string seriesUidRoot)
    {
        double tilt = options.TiltDegrees * Math.PI / 180;
        var row = new Vector3D(1, 0, 0);
        var column = new Vector3D(0, Math.Cos(tilt), -Math.Sin(tilt));
        double zStep = options.SliceThicknessMm / Math.Cos(tilt);
        // The stack is centred 15 mm above the head centre, so 28 slices of 5 mm run from the skull base to the vertex.
        double firstZ = 15 - ((options.SliceCount - 1) * zStep / 2);
        Vector3D inPlaneOffset = (row * (options.Columns / 2.0 * options.PixelSpacingMm)) + (column * (options.Rows / 2.0 * options.PixelSpacingMm));

        var slices = new List<SliceGeometry>(options.SliceCount);
        for (int i = 0; i < options.SliceCount; i++)
        {
            var centre = new Vector3D(0, 0, firstZ + (i * zStep));
            slices.Add(new SliceGeometry(
                $"{seriesUidRoot}.{i + 1}", centre - inPlaneOffset, row, column,
                options.PixelSpacingMm, options.PixelSpacingMm, options.SliceThicknessMm, options.Rows, options.Columns, i + 1));
        }

        return SeriesGeometryBuilder.Build(slices).Stack
            ?? throw new InvalidOperationException("The synthetic slice geometry is inconsistent.");
    }

    /// <summary>Labels every voxel and fills the noiseless HU values; the head gets a random size, offset and yaw.</summary>
    public static AnatomyModel Build(VoxelGrid grid, Random random, short[] hu)
    {
        var shape = new HeadShape(random);
        double yaw = ((random.NextDouble() * 2) - 1) * 8 * Math.PI / 180;
        var offset = new Vector3D((random.NextDouble() - 0.5) * 8, (random.NextDouble() - 0.5) * 8, 0);
        var lateral = new Vector3D(Math.Cos(yaw), Math.Sin(yaw), 0);
        var posterior = new Vector3D(-Math.Sin(yaw), Math.Cos(yaw), 0);

        var tissue = new TissueClass[grid.Length];
        var depth = new float[grid.Length];
        Parallel.For(0, grid.Slices, slice =>
        {
            for (int row = 0; row < grid.Rows; row++)
            {
                for (int column = 0; column < grid.Columns; column++)
                {
                    Vector3D relative = grid.Position(slice, row, column) - offset;
                    var head = new Vector3D(relative.Dot(lateral), relative.Dot(posterior), relative.Z);
                    int index = grid.Index(slice, row, column);
                    TissueClass label = shape.Classify(head, out double depthMm);
                    tissue[index] = label;
                    depth[index] = (float)depthMm;
                    hu[index] = label == TissueClass.Bone ? (short)shape.BoneHu(head) : TissueHu[label];
                }
            }
        });

        return new AnatomyModel(grid, tissue, depth, offset, lateral, posterior);
    }
}
