namespace IchFunctions.Imaging.Geometry;

/// <summary>Derives the thickness along the normal that each slice of an ordered stack stands for.</summary>
internal static class SlabThickness
{
    /// <summary>
    /// Computes slabs by the midpoint rule: slice i covers from halfway to its lower neighbour to halfway to
    /// its upper neighbour. The first and last slices extend outwards by half the smaller of their own
    /// thickness and their neighbour distance, so an overlapping reconstruction does not inflate the ends.
    /// A single slice stands for its own thickness.
    /// </summary>
    public static double[] Compute(SliceGeometry[] slices, double[] distances)
    {
        int count = slices.Length;
        var slabs = new double[count];
        if (count == 1)
        {
            slabs[0] = slices[0].SliceThickness!.Value;
            return slabs;
        }

        for (int i = 0; i < count; i++)
        {
            double below = i > 0 ? (distances[i] - distances[i - 1]) / 2 : OuterHalf(slices[i], distances[1] - distances[0]);
            double above = i < count - 1 ? (distances[i + 1] - distances[i]) / 2 : OuterHalf(slices[i], distances[i] - distances[i - 1]);
            slabs[i] = below + above;
        }

        return slabs;
    }

    private static double OuterHalf(SliceGeometry slice, double neighbourDistance) =>
        slice.SliceThickness is > 0 ? Math.Min(slice.SliceThickness.Value, neighbourDistance) / 2 : neighbourDistance / 2;
}
