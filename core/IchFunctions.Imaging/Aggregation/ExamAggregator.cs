using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Aggregation;

/// <summary>A named exam-score threshold from the model contract.</summary>
public sealed record OperatingPoint(string Name, double Threshold);

/// <summary>The decision at one operating point.</summary>
public sealed record OperatingPointDecision(string Name, double Threshold, bool Positive);

/// <summary>One connected hemorrhage region.</summary>
/// <param name="Number">1-based number, largest lesion first.</param>
/// <param name="VoxelCount">Voxels in the region.</param>
/// <param name="VolumeMl">Volume in mL from each voxel's pixel area and its slice's slab thickness.</param>
/// <param name="LargestInPlaneDiameterMm">Largest distance between two of its pixel centres within one slice, in mm.</param>
/// <param name="FirstSlice">Index of its lowest slice in anatomical order.</param>
/// <param name="LastSlice">Index of its highest slice in anatomical order.</param>
/// <param name="Centroid">Volume-weighted centre in patient coordinates (LPS, mm).</param>
/// <param name="MeanProbability">Mean pixel probability over the region.</param>
public sealed record Lesion(int Number, int VoxelCount, double VolumeMl, double LargestInPlaneDiameterMm, int FirstSlice, int LastSlice, Vector3D Centroid, double MeanProbability);

/// <summary>The exam-level result of aggregating per-slice and per-pixel model outputs.</summary>
public sealed record ExamAggregate(
    double ExamProbability,
    IReadOnlyList<double> SliceProbabilities,
    IReadOnlyList<OperatingPointDecision> Decisions,
    double TotalVolumeMl,
    IReadOnlyList<Lesion> Lesions,
    byte[] Mask);

/// <summary>
/// Turns model outputs for every slice of a series into the exam probability (the highest slice probability),
/// the hemorrhage mask at the pixel threshold, its 3D lesions with volumes and diameters, and a decision per
/// operating point.
/// </summary>
public static class ExamAggregator
{
    public static ExamAggregate Aggregate(
        SeriesGeometry geometry,
        ReadOnlySpan<float> sliceProbabilities,
        ReadOnlySpan<float> pixelProbabilities,
        double pixelThreshold,
        IReadOnlyList<OperatingPoint> operatingPoints)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(operatingPoints);
        int slices = geometry.Slices.Count;
        int sliceLength = geometry.Rows * geometry.Columns;
        if (sliceProbabilities.Length != slices)
        {
            throw new ArgumentException($"Expected one slice probability for each of the {slices} slices, got {sliceProbabilities.Length}.", nameof(sliceProbabilities));
        }

        if (pixelProbabilities.Length != slices * sliceLength)
        {
            throw new ArgumentException($"Expected {slices * sliceLength} pixel probabilities ({slices} slices of {geometry.Rows}x{geometry.Columns}), got {pixelProbabilities.Length}.", nameof(pixelProbabilities));
        }

        if (pixelThreshold is <= 0 or >= 1 || double.IsNaN(pixelThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(pixelThreshold), pixelThreshold, "The pixel threshold must be between 0 and 1, exclusive.");
        }

        double examProbability = 0;
        foreach (float probability in sliceProbabilities)
        {
            examProbability = Math.Max(examProbability, probability);
        }

        var mask = new byte[pixelProbabilities.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = pixelProbabilities[i] >= pixelThreshold ? (byte)1 : (byte)0;
        }

        IReadOnlyList<Lesion> lesions = LesionMeasurement.Measure(geometry, mask, pixelProbabilities);
        OperatingPointDecision[] decisions = operatingPoints
            .Select(point => new OperatingPointDecision(point.Name, point.Threshold, examProbability >= point.Threshold))
            .ToArray();
        return new ExamAggregate(
            examProbability,
            sliceProbabilities.ToArray().Select(p => (double)p).ToArray(),
            decisions,
            lesions.Sum(lesion => lesion.VolumeMl),
            lesions,
            mask);
    }
}
