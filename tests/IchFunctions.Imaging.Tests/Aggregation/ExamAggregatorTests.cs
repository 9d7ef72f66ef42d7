using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Tests.Aggregation;

public sealed class ExamAggregatorTests
{
    private static readonly OperatingPoint[] Points = [new("high_sensitivity", 0.3), new("default", 0.5), new("high_specificity", 0.8)];

    private static SeriesGeometry Geometry(IReadOnlyList<double> z, IReadOnlyList<double> thickness, int size = 16, double spacing = 0.5)
    {
        var row = new Vector3D(1, 0, 0);
        var column = new Vector3D(0, 1, 0);
        return SeriesGeometryBuilder.Build(z.Select((value, i) =>
            new SliceGeometry($"1.2.{i}", new Vector3D(0, 0, value), row, column, spacing, spacing, thickness[i], size, size))).Stack!;
    }

    [Fact]
    public void Aggregate_ExamProbability_IsMaxSliceProbability()
    {
        SeriesGeometry geometry = Geometry([0, 5, 10], [5, 5, 5]);

        ExamAggregate result = ExamAggregator.Aggregate(geometry, [0.1f, 0.65f, 0.2f], new float[3 * 256], 0.5, Points);

        Assert.Equal(0.65, result.ExamProbability, 6);
        Assert.Equal([true, true, false], result.Decisions.Select(d => d.Positive));
        Assert.Empty(result.Lesions);
        Assert.Equal(0, result.TotalVolumeMl);
    }

    [Fact]
    public void Aggregate_VolumeUsesSlabThickness()
    {
        // Slabs by the midpoint rule: first slice 2 (half its 4 mm) + 2 (half the 4 mm spacing) = 4,
        // middle (4 + 1)/2 = 2.5, last 0.5 + min(7, 1)/2 = 1.
        SeriesGeometry geometry = Geometry([0, 4, 5], [4, 4, 7]);
        float[] pixels = new float[3 * 256];
        foreach (int slice in new[] { 0, 1, 2 })
        {
            pixels[(slice * 256) + 17] = 0.9f; // row 1, column 1 of every slice: one 3-voxel lesion
        }

        ExamAggregate result = ExamAggregator.Aggregate(geometry, [0.9f, 0.9f, 0.9f], pixels, 0.5, Points);

        Lesion lesion = Assert.Single(result.Lesions);
        double pixelArea = 0.5 * 0.5;
        Assert.Equal(pixelArea * (4 + 2.5 + 1) / 1000, lesion.VolumeMl, 9);
        Assert.Equal(lesion.VolumeMl, result.TotalVolumeMl, 12);
        Assert.Equal(3, lesion.VoxelCount);
        Assert.Equal(0, lesion.FirstSlice);
        Assert.Equal(2, lesion.LastSlice);
    }

    [Fact]
    public void Aggregate_SeparateRegions_AreLesionsLargestFirst()
    {
        SeriesGeometry geometry = Geometry([0, 5], [5, 5]);
        float[] pixels = new float[2 * 256];
        for (int column = 0; column < 10; column++)
        {
            pixels[(5 * 16) + column] = 0.8f;          // a 10-pixel line on slice 0, row 5
        }

        pixels[256 + (14 * 16) + 14] = 0.7f;           // one pixel on slice 1, far away

        ExamAggregate result = ExamAggregator.Aggregate(geometry, [0.8f, 0.7f], pixels, 0.5, Points);

        Assert.Equal(2, result.Lesions.Count);
        Assert.Equal(10, result.Lesions[0].VoxelCount);
        Assert.Equal(1, result.Lesions[0].Number);
        Assert.Equal(9 * 0.5, result.Lesions[0].LargestInPlaneDiameterMm, 9);
        Assert.Equal(0.8, result.Lesions[0].MeanProbability, 6);
        Assert.Equal(1, result.Lesions[1].VoxelCount);
        Assert.Equal(0, result.Lesions[1].LargestInPlaneDiameterMm);
    }

    [Fact]
    public void Aggregate_ThresholdIsInclusive()
    {
        SeriesGeometry geometry = Geometry([0, 5], [5, 5]);
        float[] pixels = new float[2 * 256];
        pixels[40] = 0.5f;
        pixels[41] = 0.4999f;

        ExamAggregate result = ExamAggregator.Aggregate(geometry, [0.5f, 0], pixels, 0.5, Points);

        Assert.Equal(1, result.Mask[40]);
        Assert.Equal(0, result.Mask[41]);
    }

    [Fact]
    public void Aggregate_WrongPixelCount_NamesBothCounts()
    {
        SeriesGeometry geometry = Geometry([0, 5], [5, 5]);

        var error = Assert.Throws<ArgumentException>(() => ExamAggregator.Aggregate(geometry, [0, 0], new float[100], 0.5, Points));

        Assert.Contains("Expected 512 pixel probabilities", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Aggregate_InvalidThreshold_Throws(double threshold)
    {
        SeriesGeometry geometry = Geometry([0, 5], [5, 5]);

        Assert.Throws<ArgumentOutOfRangeException>(() => ExamAggregator.Aggregate(geometry, [0, 0], new float[512], threshold, Points));
    }
}
