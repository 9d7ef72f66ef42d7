using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Generates deterministic synthetic head CT exams with simulated hemorrhage and exact ground truth, either
/// from an analytic head or by inserting hemorrhage into a real series used as background.
/// </summary>
public static class SyntheticExamGenerator
{
    /// <summary>At most this many lesions fit the byte label map alongside the background label 0.</summary>
    public const int MaxLesions = 255;

    /// <summary>Generates an analytic head exam; the same options always give the same volume, bit for bit.</summary>
    public static SyntheticExam Generate(SyntheticExamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckLesionCount(options.Lesions);

        SeriesGeometry geometry = SyntheticHead.CreateGeometry(options, "2.25.1");
        var grid = new VoxelGrid(geometry);
        var hu = new short[grid.Length];
        var labels = new byte[grid.Length];
        var random = new Random(options.Seed);
        AnatomyModel anatomy = SyntheticHead.Build(grid, random, hu);

        PaintLesions(anatomy, hu, labels, options.Lesions, random);
        ImageNoise.Add(hu, grid, options.NoiseSigmaHu, options.Seed);
        return new SyntheticExam(geometry, hu, labels, SyntheticExam.Measure(geometry, labels, options.Lesions));
    }

    /// <summary>
    /// Inserts simulated hemorrhage into a real head CT volume (HU, [slice, row, column]), restricted to the
    /// intracranial space found from its HU values. The input array is not changed.
    /// </summary>
    public static SyntheticExam InsertIntoBackground(SeriesGeometry geometry, ReadOnlySpan<short> backgroundHu, IReadOnlyList<LesionSpec> lesions, int seed, double noiseSigmaHu = 3)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(lesions);
        CheckLesionCount(lesions);
        foreach (LesionSpec lesion in lesions)
        {
            lesion.Validate();
        }

        var grid = new VoxelGrid(geometry);
        if (backgroundHu.Length != grid.Length)
        {
            throw new ArgumentException($"The background has {backgroundHu.Length} voxels but its geometry describes {grid.Length}.", nameof(backgroundHu));
        }

        short[] hu = backgroundHu.ToArray();
        var labels = new byte[grid.Length];
        AnatomyModel anatomy = BackgroundAnatomy.Estimate(grid, hu);
        var random = new Random(seed);
        PaintLesions(anatomy, hu, labels, lesions, random);
        AddNoiseToLesions(hu, labels, grid, noiseSigmaHu, seed);
        return new SyntheticExam(geometry, hu, labels, SyntheticExam.Measure(geometry, labels, lesions));
    }

    private static void PaintLesions(AnatomyModel anatomy, short[] hu, byte[] labels, IReadOnlyList<LesionSpec> lesions, Random random)
    {
        for (int i = 0; i < lesions.Count; i++)
        {
            LesionPainter.Paint(anatomy, hu, labels, lesions[i], (byte)(i + 1), random);
        }
    }

    /// <summary>A real background already has its own noise, so only the painted voxels receive noise.</summary>
    private static void AddNoiseToLesions(short[] hu, byte[] labels, VoxelGrid grid, double sigmaHu, int seed)
    {
        var noise = new short[hu.Length];
        ImageNoise.Add(noise, grid, sigmaHu, seed);
        for (int i = 0; i < hu.Length; i++)
        {
            if (labels[i] != 0)
            {
                hu[i] += noise[i];
            }
        }
    }

    private static void CheckLesionCount(IReadOnlyList<LesionSpec> lesions)
    {
        if (lesions.Count > MaxLesions)
        {
            throw new ArgumentOutOfRangeException(nameof(lesions), lesions.Count, $"At most {MaxLesions} lesions can be simulated in one exam.");
        }
    }
}
