using IchFunctions.Functions.Orchestration.Work;

namespace IchFunctions.Functions.Tests.Orchestration.Work;

public sealed class MaskedPixelTests
{
    [Fact]
    public void SelectScatter_RoundTrip_KeepsMaskedPixels()
    {
        float[] probabilities = [0.1f, 0.5f, 0.49999f, 0.9f, 0f, 1f];

        MaskedPixel[] masked = MaskedPixel.Select(probabilities, 0.5);
        var restored = new float[probabilities.Length];
        MaskedPixel.Scatter(masked, restored, "chunk");

        Assert.Equal([new MaskedPixel(1, 0.5f), new MaskedPixel(3, 0.9f), new MaskedPixel(5, 1f)], masked);
        Assert.Equal([0f, 0.5f, 0f, 0.9f, 0f, 1f], restored);
    }

    [Fact]
    public void Select_FloatNearDoubleThreshold_ComparedAsDouble()
    {
        // As in ExamAggregator, the float is widened to double. 0.7f is just below 0.7, so it stays out, although a
        // comparison with the threshold rounded to float would keep it.
        MaskedPixel[] masked = MaskedPixel.Select([0.7f, MathF.BitIncrement(0.7f)], 0.7);

        Assert.Equal([new MaskedPixel(1, MathF.BitIncrement(0.7f))], masked);
    }

    [Fact]
    public void Record_IsEightBytes()
    {
        Assert.Equal(8, System.Runtime.InteropServices.Marshal.SizeOf<MaskedPixel>());
    }

    [Theory]
    [InlineData(-1, "pixel index -1 is outside its chunk of 4 pixels")]
    [InlineData(4, "pixel index 4 is outside its chunk of 4 pixels")]
    public void Scatter_IndexOutsideChunk_NamesBlobAndIndex(int index, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => MaskedPixel.Scatter([new MaskedPixel(index, 0.7f)], new float[4], "work/masked-pixels/00000.bin"));

        Assert.Contains("work/masked-pixels/00000.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
