using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Inference;

/// <summary>One model input window over a slice: its top-left pixel and its padded size.</summary>
public sealed record Tile(int Top, int Left, int Height, int Width);

/// <summary>Plans whole-slice or patch windows over a slice, and moves pixels between slices and windows.</summary>
public static class Tiling
{
    /// <summary>
    /// Returns the windows that cover a rows x columns slice. A whole slice is one window padded up to the size
    /// multiple. Patches start every stride pixels, and the last patch on each axis is moved back to end at the
    /// slice edge, so every pixel is covered; a slice smaller than a patch is padded up to one.
    /// </summary>
    public static IReadOnlyList<Tile> Plan(int rows, int columns, ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        int multiple = contract.Input.SizeMultiple;
        if (!contract.Tiling.IsPatch)
        {
            return [new Tile(0, 0, RoundUp(rows, multiple), RoundUp(columns, multiple))];
        }

        int size = contract.Tiling.PatchSize!.Value;
        int stride = contract.Tiling.Stride!.Value;
        return [.. from top in Starts(rows, size, stride) from left in Starts(columns, size, stride) select new Tile(top, left, size, size)];
    }

    /// <summary>Copies the window of an HU slice into a float buffer, with -1024 HU where the window passes the slice edge.</summary>
    public static void CopyIn(ReadOnlySpan<short> slice, int rows, int columns, Tile tile, Span<float> destination)
    {
        destination.Fill(SeriesInference.PaddingHu);
        int height = Math.Min(tile.Height, rows - tile.Top);
        int width = Math.Min(tile.Width, columns - tile.Left);
        for (int row = 0; row < height; row++)
        {
            ReadOnlySpan<short> source = slice.Slice(((tile.Top + row) * columns) + tile.Left, width);
            Span<float> target = destination.Slice(row * tile.Width, width);
            for (int column = 0; column < width; column++)
            {
                target[column] = source[column];
            }
        }
    }

    /// <summary>Adds a window's pixel probabilities into the slice, dropping the padding.</summary>
    public static void AddOut(ReadOnlySpan<float> window, Tile tile, int rows, int columns, Span<float> slice)
    {
        int height = Math.Min(tile.Height, rows - tile.Top);
        int width = Math.Min(tile.Width, columns - tile.Left);
        for (int row = 0; row < height; row++)
        {
            ReadOnlySpan<float> source = window.Slice(row * tile.Width, width);
            Span<float> target = slice.Slice(((tile.Top + row) * columns) + tile.Left, width);
            for (int column = 0; column < width; column++)
            {
                target[column] += source[column];
            }
        }
    }

    /// <summary>Counts how many windows cover each pixel of a slice.</summary>
    public static void CountCoverage(Tile tile, int rows, int columns, Span<float> counts)
    {
        int height = Math.Min(tile.Height, rows - tile.Top);
        int width = Math.Min(tile.Width, columns - tile.Left);
        for (int row = 0; row < height; row++)
        {
            Span<float> line = counts.Slice(((tile.Top + row) * columns) + tile.Left, width);
            for (int column = 0; column < width; column++)
            {
                line[column] += 1;
            }
        }
    }

    /// <summary>Divides the summed probabilities of every slice by the number of windows that covered each pixel.</summary>
    public static void Normalise(float[] pixels, float[] counts)
    {
        int plane = counts.Length;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] /= counts[i % plane];
        }
    }

    private static IEnumerable<int> Starts(int length, int size, int stride)
    {
        if (length <= size)
        {
            yield return 0;
            yield break;
        }

        int start = 0;
        for (; start + size < length; start += stride)
        {
            yield return start;
        }

        yield return length - size;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
