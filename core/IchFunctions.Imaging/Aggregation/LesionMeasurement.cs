using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Aggregation;

/// <summary>Measures each 3D connected component of a mask: volume, largest in-plane diameter, extent and centroid.</summary>
internal static class LesionMeasurement
{
    public static IReadOnlyList<Lesion> Measure(SeriesGeometry geometry, byte[] mask, ReadOnlySpan<float> probabilities)
    {
        int slices = geometry.Slices.Count;
        int rows = geometry.Rows;
        int columns = geometry.Columns;
        int sliceLength = rows * columns;
        if (!mask.AsSpan().ContainsAnyExcept((byte)0))
        {
            return [];
        }

        var labels = new int[mask.Length];
        int count = ConnectedComponents.Label(mask, slices, rows, columns, labels);
        var accumulators = new Accumulator[count + 1];
        for (int i = 1; i <= count; i++)
        {
            accumulators[i] = new Accumulator();
        }

        for (int slice = 0; slice < slices; slice++)
        {
            double voxelMl = geometry.VoxelVolumeMl(slice);
            ReadOnlySpan<int> sliceLabels = labels.AsSpan(slice * sliceLength, sliceLength);

            // A vectorised search jumps over the unlabelled background, which is nearly the whole slice.
            for (int offset = Background.NextNonZero(sliceLabels, 0); offset >= 0; offset = Background.NextNonZero(sliceLabels, offset + 1))
            {
                int index = (slice * sliceLength) + offset;
                accumulators[sliceLabels[offset]].Add(geometry, slice, offset / columns, offset % columns, voxelMl, probabilities[index]);
            }
        }

        return accumulators.Skip(1)
            .Select(a => a.ToLesion(geometry))
            .OrderByDescending(l => l.VolumeMl)
            .Select((lesion, i) => lesion with { Number = i + 1 })
            .ToArray();
    }

    private sealed class Accumulator
    {
        private readonly Dictionary<int, List<(int Row, int Column)>> _pixelsBySlice = [];
        private int _voxels;
        private double _volumeMl;
        private double _probabilitySum;
        private Vector3D _weightedPosition;

        public void Add(SeriesGeometry geometry, int slice, int row, int column, double voxelMl, float probability)
        {
            if (!_pixelsBySlice.TryGetValue(slice, out List<(int Row, int Column)>? pixels))
            {
                pixels = [];
                _pixelsBySlice[slice] = pixels;
            }

            pixels.Add((row, column));
            _voxels++;
            _volumeMl += voxelMl;
            _probabilitySum += probability;
            _weightedPosition += geometry.Slices[slice].PixelCentre(row, column) * voxelMl;
        }

        public Lesion ToLesion(SeriesGeometry geometry)
        {
            double diameter = _pixelsBySlice.Values.Max(pixels => InPlaneDiameter.Compute(pixels, geometry.RowSpacing, geometry.ColumnSpacing));
            return new Lesion(
                Number: 0,
                _voxels,
                _volumeMl,
                diameter,
                _pixelsBySlice.Keys.Min(),
                _pixelsBySlice.Keys.Max(),
                _weightedPosition * (1.0 / _volumeMl),
                _probabilitySum / _voxels);
        }
    }
}
