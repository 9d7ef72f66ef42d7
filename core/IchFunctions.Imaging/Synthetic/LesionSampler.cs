namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Draws random but plausible hemorrhage specifications for synthetic exams: each kind at the heights and
/// sizes where it occurs, acute blood density between 55 and 85 HU.
/// </summary>
public static class LesionSampler
{
    public static IReadOnlyList<LesionSpec> Sample(Random random, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        HemorrhageKind[] kinds = Enum.GetValues<HemorrhageKind>();
        return Enumerable.Range(0, count).Select(_ => Sample(random, kinds[random.Next(kinds.Length)])).ToArray();
    }

    public static LesionSpec Sample(Random random, HemorrhageKind kind)
    {
        ArgumentNullException.ThrowIfNull(random);
        double azimuth = random.NextDouble() * 360;
        double density = 55 + (random.NextDouble() * 30);
        return kind switch
        {
            HemorrhageKind.Epidural => new LesionSpec(kind, azimuth, Between(random, 0.35, 0.8), Between(random, 18, 35), Between(random, 8, 18), density),
            HemorrhageKind.Subdural => new LesionSpec(kind, azimuth, Between(random, 0.3, 0.85), Between(random, 40, 75), Between(random, 4, 12), density),
            HemorrhageKind.Intraparenchymal => new LesionSpec(kind, azimuth, Between(random, 0.3, 0.75), Between(random, 6, 22), 10, density),
            HemorrhageKind.Subarachnoid => new LesionSpec(kind, azimuth, Between(random, 0.4, 0.9), Between(random, 25, 45), 10, density - 10),
            _ => new LesionSpec(kind, azimuth, Between(random, 0.45, 0.6), Between(random, 15, 30), 10, density - 5),
        };
    }

    private static double Between(Random random, double low, double high) => low + (random.NextDouble() * (high - low));
}
