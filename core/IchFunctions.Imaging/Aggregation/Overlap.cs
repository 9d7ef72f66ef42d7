namespace IchFunctions.Imaging.Aggregation;

/// <summary>Agreement between a predicted mask and a reference mask.</summary>
public static class Overlap
{
    /// <summary>
    /// Returns the Dice coefficient 2|A and B| / (|A| + |B|) of two masks (non-zero is foreground), or null when
    /// both are empty, because Dice is undefined there.
    /// </summary>
    public static double? Dice(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> reference)
    {
        if (predicted.Length != reference.Length)
        {
            throw new ArgumentException($"The masks differ in size: {predicted.Length} and {reference.Length} voxels.", nameof(reference));
        }

        long both = 0, predictedCount = 0, referenceCount = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            bool p = predicted[i] != 0;
            bool r = reference[i] != 0;
            predictedCount += p ? 1 : 0;
            referenceCount += r ? 1 : 0;
            both += p && r ? 1 : 0;
        }

        return predictedCount + referenceCount == 0 ? null : 2.0 * both / (predictedCount + referenceCount);
    }
}
