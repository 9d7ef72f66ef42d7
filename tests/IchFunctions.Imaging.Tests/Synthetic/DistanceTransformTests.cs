using IchFunctions.Imaging.Synthetic;

namespace IchFunctions.Imaging.Tests.Synthetic;

public sealed class DistanceTransformTests
{
    [Fact]
    public void Compute_MatchesBruteForce()
    {
        const int Rows = 23;
        const int Columns = 31;
        const double RowSpacing = 0.7;
        const double ColumnSpacing = 1.3;
        var random = new Random(5);
        bool[] features = Enumerable.Range(0, Rows * Columns).Select(_ => random.NextDouble() < 0.03).ToArray();
        var distances = new float[Rows * Columns];

        DistanceTransform.Compute(features, Rows, Columns, RowSpacing, ColumnSpacing, distances);

        for (int row = 0; row < Rows; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                double expected = double.MaxValue;
                for (int i = 0; i < features.Length; i++)
                {
                    if (features[i])
                    {
                        double dy = ((i / Columns) - row) * RowSpacing;
                        double dx = ((i % Columns) - column) * ColumnSpacing;
                        expected = Math.Min(expected, Math.Sqrt((dx * dx) + (dy * dy)));
                    }
                }

                Assert.Equal(expected, distances[(row * Columns) + column], 4);
            }
        }
    }
}
