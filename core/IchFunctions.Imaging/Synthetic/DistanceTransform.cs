namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Exact Euclidean distance transform of a 2D binary image with anisotropic pixel spacing, by the separable
/// lower-envelope method of Felzenszwalb and Huttenlocher ("Distance Transforms of Sampled Functions", 2012).
/// </summary>
internal static class DistanceTransform
{
    /// <summary>
    /// Writes, for every pixel, the distance in mm to the nearest pixel where <paramref name="isFeature"/> is
    /// true (0 on features). Pixels of an image without features get <see cref="float.MaxValue"/>.
    /// </summary>
    public static void Compute(ReadOnlySpan<bool> isFeature, int rows, int columns, double rowSpacing, double columnSpacing, Span<float> distanceMm)
    {
        const double Infinity = 1e20;
        var squared = new double[rows * columns];
        for (int i = 0; i < squared.Length; i++)
        {
            squared[i] = isFeature[i] ? 0 : Infinity;
        }

        int longest = Math.Max(rows, columns);
        var line = new double[longest];
        var output = new double[longest];
        var vertices = new int[longest];
        var boundaries = new double[longest + 1];

        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                line[column] = squared[(row * columns) + column];
            }

            Envelope(line, columns, columnSpacing * columnSpacing, output, vertices, boundaries);
            for (int column = 0; column < columns; column++)
            {
                squared[(row * columns) + column] = output[column];
            }
        }

        for (int column = 0; column < columns; column++)
        {
            for (int row = 0; row < rows; row++)
            {
                line[row] = squared[(row * columns) + column];
            }

            Envelope(line, rows, rowSpacing * rowSpacing, output, vertices, boundaries);
            for (int row = 0; row < rows; row++)
            {
                squared[(row * columns) + column] = output[row];
            }
        }

        for (int i = 0; i < squared.Length; i++)
        {
            distanceMm[i] = squared[i] >= Infinity / 2 ? float.MaxValue : (float)Math.Sqrt(squared[i]);
        }
    }

    /// <summary>Position where the parabolas rooted at q and p intersect.</summary>
    private static double Intersection(double[] f, double weight, int q, int p) =>
        ((f[q] + (weight * q * q)) - (f[p] + (weight * p * p))) / (2 * weight * (q - p));

    /// <summary>One-dimensional squared distance transform: output[q] = min over p of (q - p)^2 * weight + f[p].</summary>
    private static void Envelope(double[] f, int length, double weight, double[] output, int[] vertices, double[] boundaries)
    {
        int k = 0;
        vertices[0] = 0;
        boundaries[0] = double.NegativeInfinity;
        boundaries[1] = double.PositiveInfinity;
        for (int q = 1; q < length; q++)
        {
            double s = Intersection(f, weight, q, vertices[k]);
            // boundaries[0] is minus infinity, so the loop stops at k == 0 at the latest.
            while (s <= boundaries[k])
            {
                k--;
                s = Intersection(f, weight, q, vertices[k]);
            }

            k++;
            vertices[k] = q;
            boundaries[k] = s;
            boundaries[k + 1] = double.PositiveInfinity;
        }

        k = 0;
        for (int q = 0; q < length; q++)
        {
            while (boundaries[k + 1] < q)
            {
                k++;
            }

            int p = vertices[k];
            output[q] = (weight * (q - p) * (q - p)) + f[p];
        }
    }
}
