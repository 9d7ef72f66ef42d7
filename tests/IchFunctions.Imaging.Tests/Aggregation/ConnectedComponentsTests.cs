using IchFunctions.Imaging.Aggregation;

namespace IchFunctions.Imaging.Tests.Aggregation;

public sealed class ConnectedComponentsTests
{
    [Fact]
    public void Label_CornerNeighbourAcrossSlices_IsOneComponent()
    {
        byte[] mask = new byte[2 * 3 * 3];
        mask[0] = 1;                   // slice 0, row 0, column 0
        mask[9 + 4] = 1;               // slice 1, row 1, column 1: touches only at a corner
        var labels = new int[mask.Length];

        int count = ConnectedComponents.Label(mask, 2, 3, 3, labels);

        Assert.Equal(1, count);
        Assert.Equal(labels[0], labels[13]);
    }

    [Fact]
    public void Label_SeparatedVoxels_AreTwoComponents()
    {
        byte[] mask = new byte[1 * 3 * 3];
        mask[0] = 1;
        mask[8] = 1;
        var labels = new int[mask.Length];

        int count = ConnectedComponents.Label(mask, 1, 3, 3, labels);

        Assert.Equal(2, count);
        Assert.Equal(1, labels[0]);
        Assert.Equal(2, labels[8]);
        Assert.Equal(0, labels[4]);
    }

    [Fact]
    public void Label_LargeBlob_DoesNotOverflowTheStack()
    {
        const int Size = 64;
        byte[] mask = Enumerable.Repeat((byte)1, Size * Size * Size).ToArray();
        var labels = new int[mask.Length];

        Assert.Equal(1, ConnectedComponents.Label(mask, Size, Size, Size, labels));
    }
}
