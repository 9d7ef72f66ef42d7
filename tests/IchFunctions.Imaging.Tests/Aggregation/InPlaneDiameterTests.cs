using IchFunctions.Imaging.Aggregation;

namespace IchFunctions.Imaging.Tests.Aggregation;

public sealed class InPlaneDiameterTests
{
    [Fact]
    public void Compute_FilledSquare_IsAnisotropicDiagonal()
    {
        List<(int Row, int Column)> square = [.. from row in Enumerable.Range(0, 10) from column in Enumerable.Range(0, 10) select (row, column)];

        double diameter = InPlaneDiameter.Compute(square, rowSpacing: 0.5, columnSpacing: 0.8);

        Assert.Equal(Math.Sqrt(Math.Pow(9 * 0.8, 2) + Math.Pow(9 * 0.5, 2)), diameter, 9);
    }

    [Fact]
    public void Compute_RandomRegion_MatchesAllPairs()
    {
        var random = new Random(3);
        List<(int Row, int Column)> pixels = [.. Enumerable.Range(0, 200).Select(_ => (random.Next(40), random.Next(40))).Distinct()];

        double expected = 0;
        foreach ((int Row, int Column) a in pixels)
        {
            foreach ((int Row, int Column) b in pixels)
            {
                expected = Math.Max(expected, Math.Sqrt(Math.Pow((a.Row - b.Row) * 0.7, 2) + Math.Pow((a.Column - b.Column) * 0.4, 2)));
            }
        }

        Assert.Equal(expected, InPlaneDiameter.Compute(pixels, 0.7, 0.4), 9);
    }

    [Fact]
    public void Compute_CollinearPixels_IsEndToEnd()
    {
        Assert.Equal(4 * 0.5, InPlaneDiameter.Compute([(3, 0), (3, 1), (3, 2), (3, 3), (3, 4)], 1, 0.5), 9);
    }
}
