using IchFunctions.Imaging.Aggregation;

namespace IchFunctions.Imaging.Tests.Aggregation;

public sealed class OverlapTests
{
    [Fact]
    public void Dice_PartialOverlap_IsTwiceIntersectionOverSum()
    {
        byte[] predicted = [1, 1, 1, 0, 0];
        byte[] reference = [0, 1, 1, 1, 0];

        Assert.Equal(2.0 * 2 / 6, Overlap.Dice(predicted, reference)!.Value, 12);
    }

    [Fact]
    public void Dice_BothEmpty_IsUndefined()
    {
        Assert.Null(Overlap.Dice(new byte[4], new byte[4]));
    }

    [Fact]
    public void Dice_OneEmpty_IsZero()
    {
        Assert.Equal(0, Overlap.Dice([1, 0], [0, 0]));
    }
}
