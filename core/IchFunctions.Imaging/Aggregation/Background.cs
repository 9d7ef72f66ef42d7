namespace IchFunctions.Imaging.Aggregation;

/// <summary>Searches a mask or label volume past its background (zeros), which is nearly all of a hemorrhage mask.</summary>
internal static class Background
{
    /// <summary>Returns the index of the first non-zero value at or after <paramref name="from"/>, or -1 when none is left.</summary>
    public static int NextNonZero<T>(ReadOnlySpan<T> values, int from)
        where T : IEquatable<T>
    {
        int offset = values[from..].IndexOfAnyExcept(default(T)!);
        return offset < 0 ? -1 : from + offset;
    }
}
