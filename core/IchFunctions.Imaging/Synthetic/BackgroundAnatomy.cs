using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Estimates an anatomy model from the HU values of a real head CT, slice by slice. Bone comes from a
/// threshold and the intracranial space is what bone encloses. Depth below the inner table comes from a
/// distance transform, and CSF, ventricles and brain tissue from HU ranges and depth.
/// </summary>
internal static class BackgroundAnatomy
{
    private const short BoneHu = 300;
    private const short CsfUpperHu = 17;
    private const short AirUpperHu = -150;
    private const float VentricleDepthMm = 20;

    public static AnatomyModel Estimate(VoxelGrid grid, short[] hu)
    {
        var tissue = new TissueClass[grid.Length];
        var depth = new float[grid.Length];
        Parallel.For(0, grid.Slices, slice => ClassifySlice(grid, hu, tissue, depth, slice));

        Vector3D centre = IntracranialCentroid(grid, tissue)
            ?? throw new InvalidOperationException("No intracranial space enclosed by bone was found; the background must be a head CT with the skull in view.");

        // Patient axes: +x is the patient's left and +y posterior in the DICOM patient coordinate system.
        return new AnatomyModel(grid, tissue, depth, centre, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0));
    }

    private static void ClassifySlice(VoxelGrid grid, short[] hu, TissueClass[] tissue, float[] depth, int slice)
    {
        int length = grid.SliceLength;
        int offset = slice * length;
        ReadOnlySpan<short> values = hu.AsSpan(offset, length);
        bool[] outside = FloodOutside(values, grid.Rows, grid.Columns);

        var notIntracranial = new bool[length];
        for (int i = 0; i < length; i++)
        {
            notIntracranial[i] = outside[i] || values[i] >= BoneHu;
        }

        var distance = new float[length];
        DistanceTransform.Compute(notIntracranial, grid.Rows, grid.Columns, grid.Geometry.RowSpacing, grid.Geometry.ColumnSpacing, distance);
        for (int i = 0; i < length; i++)
        {
            tissue[offset + i] = Classify(values[i], outside[i], distance[i]);
            depth[offset + i] = AnatomyModel.IsIntracranial(tissue[offset + i]) ? distance[i] : 0;
        }
    }

    private static TissueClass Classify(short value, bool outside, float depthMm)
    {
        if (value >= BoneHu)
        {
            return TissueClass.Bone;
        }

        if (outside)
        {
            return value < AirUpperHu ? TissueClass.Air : TissueClass.Scalp;
        }

        if (value < AirUpperHu)
        {
            return TissueClass.Air;
        }

        if (value <= CsfUpperHu)
        {
            return depthMm > VentricleDepthMm ? TissueClass.Ventricle : TissueClass.Csf;
        }

        return TissueClass.GreyMatter;
    }

    /// <summary>Marks the pixels reachable from the image border without crossing bone (4-connected).</summary>
    private static bool[] FloodOutside(ReadOnlySpan<short> values, int rows, int columns)
    {
        var outside = new bool[rows * columns];
        var pending = new Stack<int>();
        for (int column = 0; column < columns; column++)
        {
            pending.Push(column);
            pending.Push(((rows - 1) * columns) + column);
        }

        for (int row = 0; row < rows; row++)
        {
            pending.Push(row * columns);
            pending.Push((row * columns) + columns - 1);
        }

        while (pending.Count > 0)
        {
            int index = pending.Pop();
            if (outside[index] || values[index] >= BoneHu)
            {
                continue;
            }

            outside[index] = true;
            int row = index / columns;
            int column = index % columns;
            if (row > 0) pending.Push(index - columns);
            if (row < rows - 1) pending.Push(index + columns);
            if (column > 0) pending.Push(index - 1);
            if (column < columns - 1) pending.Push(index + 1);
        }

        return outside;
    }

    private static Vector3D? IntracranialCentroid(VoxelGrid grid, TissueClass[] tissue)
    {
        var sum = new Vector3D(0, 0, 0);
        long count = 0;
        for (int slice = 0; slice < grid.Slices; slice++)
        {
            for (int row = 0; row < grid.Rows; row += 4)
            {
                for (int column = 0; column < grid.Columns; column += 4)
                {
                    if (AnatomyModel.IsBrainTissue(tissue[grid.Index(slice, row, column)]))
                    {
                        sum += grid.Position(slice, row, column);
                        count++;
                    }
                }
            }
        }

        return count == 0 ? null : sum * (1.0 / count);
    }
}
