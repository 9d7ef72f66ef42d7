using System.Runtime.InteropServices;

namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>
/// One pixel whose probability reached the model's pixel threshold: its index in the chunk (slice by slice,
/// row by row) and its probability. The fan-in needs the probabilities of these pixels only: the binary SEG,
/// the lesions and the key images are all built from the mask, and a lesion's mean probability from its own
/// pixels. Keeping just these moves a few kilobytes per chunk instead of four bytes for every pixel.
/// </summary>
/// <remarks>
/// NOTE: a FRACTIONAL SEG would need every pixel's probability; the orchestration writes BINARY SEGs only.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct MaskedPixel(int Index, float Probability)
{
    /// <summary>Returns the pixels of <paramref name="probabilities"/> at or above <paramref name="threshold"/>.</summary>
    public static MaskedPixel[] Select(ReadOnlySpan<float> probabilities, double threshold)
    {
        var pixels = new List<MaskedPixel>();
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] >= threshold)
            {
                pixels.Add(new MaskedPixel(i, probabilities[i]));
            }
        }

        return [.. pixels];
    }

    /// <summary>
    /// Writes <paramref name="pixels"/> into <paramref name="destination"/>, a chunk's span of the exam's
    /// probabilities, zero everywhere else, after checking every index lies inside it. Probabilities are kept as
    /// the model gave them, as the one-process scorer keeps them.
    /// </summary>
    public static void Scatter(ReadOnlySpan<MaskedPixel> pixels, Span<float> destination, string blobName)
    {
        foreach (MaskedPixel pixel in pixels)
        {
            if ((uint)pixel.Index >= (uint)destination.Length)
            {
                throw new InvalidDataException($"Work blob {blobName} is invalid: pixel index {pixel.Index} is outside its chunk of {destination.Length} pixels; score the study again.");
            }

            destination[pixel.Index] = pixel.Probability;
        }
    }
}
