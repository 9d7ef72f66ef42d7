namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Adds CT-like noise: Gaussian white noise smoothed by a 3x3 in-plane box filter (as a reconstruction
/// kernel correlates neighbouring pixels) and rescaled to the requested standard deviation.
/// </summary>
internal static class ImageNoise
{
    public static void Add(short[] hu, VoxelGrid grid, double sigmaHu, int seed)
    {
        if (sigmaHu <= 0)
        {
            return;
        }

        Parallel.For(0, grid.Slices, slice =>
        {
            // One generator per slice keeps the result independent of thread scheduling.
            var random = new Random(HashCode.Combine(seed, slice, 0x5EED));
            int rows = grid.Rows;
            int columns = grid.Columns;
            var white = new float[(rows + 2) * (columns + 2)];
            for (int i = 0; i < white.Length; i += 2)
            {
                (double first, double second) = Gaussian(random);
                white[i] = (float)first;
                if (i + 1 < white.Length)
                {
                    white[i + 1] = (float)second;
                }
            }

            // A mean of 9 independent values has a standard deviation of 1/3, hence the factor 3.
            double scale = sigmaHu * 3 / 9;
            Span<short> plane = hu.AsSpan(slice * grid.SliceLength, grid.SliceLength);
            int stride = columns + 2;
            for (int row = 0; row < rows; row++)
            {
                for (int column = 0; column < columns; column++)
                {
                    int centre = ((row + 1) * stride) + column + 1;
                    float sum = white[centre - stride - 1] + white[centre - stride] + white[centre - stride + 1]
                        + white[centre - 1] + white[centre] + white[centre + 1]
                        + white[centre + stride - 1] + white[centre + stride] + white[centre + stride + 1];
                    int index = (row * columns) + column;
                    plane[index] = (short)Math.Clamp(Math.Round(plane[index] + (sum * scale)), short.MinValue, short.MaxValue);
                }
            }
        });
    }

    /// <summary>Returns two independent standard normal values (Box-Muller).</summary>
    private static (double First, double Second) Gaussian(Random random)
    {
        double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
        double angle = 2 * Math.PI * random.NextDouble();
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}
