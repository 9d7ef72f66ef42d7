namespace IchFunctions.Imaging.Rendering;

/// <summary>Renders one HU slice in a display window, with an optional mask drawn as a coloured outline.</summary>
public static class SliceRenderer
{
    /// <summary>The brain window radiologists read hemorrhage in: centre 40 HU, width 80 HU.</summary>
    public static (double Centre, double Width) BrainWindow => (40, 80);

    /// <summary>Returns RGB bytes of the slice in the window, with mask boundary pixels in <paramref name="outline"/>.</summary>
    public static byte[] Render(ReadOnlySpan<short> hu, ReadOnlySpan<byte> mask, int rows, int columns, (double Centre, double Width) window, (byte R, byte G, byte B) outline)
    {
        if (hu.Length != rows * columns)
        {
            throw new ArgumentException($"Expected {rows * columns} HU values for {rows}x{columns}, got {hu.Length}.", nameof(hu));
        }

        var rgb = new byte[rows * columns * 3];
        double low = window.Centre - (window.Width / 2);
        for (int i = 0; i < hu.Length; i++)
        {
            byte grey = (byte)Math.Clamp((hu[i] - low) / window.Width * 255, 0, 255);
            rgb[(i * 3) + 0] = grey;
            rgb[(i * 3) + 1] = grey;
            rgb[(i * 3) + 2] = grey;
        }

        if (!mask.IsEmpty)
        {
            DrawOutline(mask, rows, columns, rgb, outline);
        }

        return rgb;
    }

    private static void DrawOutline(ReadOnlySpan<byte> mask, int rows, int columns, byte[] rgb, (byte R, byte G, byte B) colour)
    {
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int i = (row * columns) + column;
                if (mask[i] == 0)
                {
                    continue;
                }

                bool boundary = row == 0 || column == 0 || row == rows - 1 || column == columns - 1
                    || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - columns] == 0 || mask[i + columns] == 0;
                if (boundary)
                {
                    rgb[(i * 3) + 0] = colour.R;
                    rgb[(i * 3) + 1] = colour.G;
                    rgb[(i * 3) + 2] = colour.B;
                }
            }
        }
    }
}
