namespace IchFunctions.Imaging.Aggregation;

/// <summary>
/// Largest distance between two pixel centres of a region within one slice (the maximum Feret diameter),
/// in mm with anisotropic pixel spacing: the convex hull of the pixels, then every pair of hull points.
/// </summary>
internal static class InPlaneDiameter
{
    public static double Compute(IReadOnlyList<(int Row, int Column)> pixels, double rowSpacing, double columnSpacing)
    {
        if (pixels.Count < 2)
        {
            return 0;
        }

        List<(double X, double Y)> hull = ConvexHull(pixels.Select(p => (p.Column * columnSpacing, p.Row * rowSpacing)).ToList());
        double best = 0;
        for (int i = 0; i < hull.Count; i++)
        {
            for (int j = i + 1; j < hull.Count; j++)
            {
                double dx = hull[i].X - hull[j].X;
                double dy = hull[i].Y - hull[j].Y;
                best = Math.Max(best, (dx * dx) + (dy * dy));
            }
        }

        return Math.Sqrt(best);
    }

    /// <summary>Andrew's monotone chain; returns the hull points (all points when fewer than three are distinct).</summary>
    private static List<(double X, double Y)> ConvexHull(List<(double X, double Y)> points)
    {
        points.Sort();
        points = points.Distinct().ToList();
        if (points.Count < 3)
        {
            return points;
        }

        var hull = new List<(double X, double Y)>(points.Count + 1);
        foreach ((double X, double Y) point in points)
        {
            AddTurningLeft(hull, point, minimumCount: 2);
        }

        int lowerCount = hull.Count;
        for (int i = points.Count - 2; i >= 0; i--)
        {
            AddTurningLeft(hull, points[i], minimumCount: lowerCount + 1);
        }

        hull.RemoveAt(hull.Count - 1);
        return hull;
    }

    /// <summary>Removes points that would make a clockwise turn, never going below <paramref name="minimumCount"/> points, then adds the new one.</summary>
    private static void AddTurningLeft(List<(double X, double Y)> hull, (double X, double Y) point, int minimumCount)
    {
        while (hull.Count >= minimumCount && Cross(hull[^2], hull[^1], point) <= 0)
        {
            hull.RemoveAt(hull.Count - 1);
        }

        hull.Add(point);
    }

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));
}
