namespace IchFunctions.Imaging.Rendering;

/// <summary>
/// A 5x7 pixel font for burning short captions into key images without a font library: digits, upper-case
/// letters (lower case is drawn as upper case) and the punctuation that captions use.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    // Each glyph is seven rows of five bits, the most significant of the five being the leftmost pixel.
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['0'] = [14, 17, 19, 21, 25, 17, 14],
        ['1'] = [4, 12, 4, 4, 4, 4, 14],
        ['2'] = [14, 17, 1, 2, 4, 8, 31],
        ['3'] = [31, 2, 4, 2, 1, 17, 14],
        ['4'] = [2, 6, 10, 18, 31, 2, 2],
        ['5'] = [31, 16, 30, 1, 1, 17, 14],
        ['6'] = [6, 8, 16, 30, 17, 17, 14],
        ['7'] = [31, 1, 2, 4, 8, 8, 8],
        ['8'] = [14, 17, 17, 14, 17, 17, 14],
        ['9'] = [14, 17, 17, 15, 1, 2, 12],
        ['A'] = [14, 17, 17, 31, 17, 17, 17],
        ['B'] = [30, 17, 17, 30, 17, 17, 30],
        ['C'] = [14, 17, 16, 16, 16, 17, 14],
        ['D'] = [28, 18, 17, 17, 17, 18, 28],
        ['E'] = [31, 16, 16, 30, 16, 16, 31],
        ['F'] = [31, 16, 16, 30, 16, 16, 16],
        ['G'] = [14, 17, 16, 23, 17, 17, 15],
        ['H'] = [17, 17, 17, 31, 17, 17, 17],
        ['I'] = [14, 4, 4, 4, 4, 4, 14],
        ['J'] = [7, 2, 2, 2, 2, 18, 12],
        ['K'] = [17, 18, 20, 24, 20, 18, 17],
        ['L'] = [16, 16, 16, 16, 16, 16, 31],
        ['M'] = [17, 27, 21, 21, 17, 17, 17],
        ['N'] = [17, 17, 25, 21, 19, 17, 17],
        ['O'] = [14, 17, 17, 17, 17, 17, 14],
        ['P'] = [30, 17, 17, 30, 16, 16, 16],
        ['Q'] = [14, 17, 17, 17, 21, 18, 13],
        ['R'] = [30, 17, 17, 30, 20, 18, 17],
        ['S'] = [15, 16, 16, 14, 1, 1, 30],
        ['T'] = [31, 4, 4, 4, 4, 4, 4],
        ['U'] = [17, 17, 17, 17, 17, 17, 14],
        ['V'] = [17, 17, 17, 17, 17, 10, 4],
        ['W'] = [17, 17, 17, 21, 21, 21, 10],
        ['X'] = [17, 17, 10, 4, 10, 17, 17],
        ['Y'] = [17, 17, 17, 10, 4, 4, 4],
        ['Z'] = [31, 1, 2, 4, 8, 16, 31],
        ['.'] = [0, 0, 0, 0, 0, 12, 12],
        [','] = [0, 0, 0, 0, 12, 4, 8],
        [':'] = [0, 12, 12, 0, 12, 12, 0],
        ['-'] = [0, 0, 0, 31, 0, 0, 0],
        ['+'] = [0, 4, 4, 31, 4, 4, 0],
        ['='] = [0, 0, 31, 0, 31, 0, 0],
        ['/'] = [0, 1, 2, 4, 8, 16, 0],
        ['%'] = [24, 25, 2, 4, 8, 19, 3],
        ['('] = [2, 4, 8, 8, 8, 4, 2],
        [')'] = [8, 4, 2, 2, 2, 4, 8],
    };

    /// <summary>Returns the width in pixels of <paramref name="text"/> at <paramref name="scale"/>, one blank column between glyphs.</summary>
    public static int Measure(string text, int scale) => text.Length * (GlyphWidth + 1) * scale;

    /// <summary>Draws <paramref name="text"/> into an RGB image; characters the font lacks are drawn as '?' boxes.</summary>
    public static void Draw(byte[] rgb, int width, int height, int x, int y, string text, int scale, (byte R, byte G, byte B) colour)
    {
        int cursor = x;
        foreach (char character in text.ToUpperInvariant())
        {
            byte[] rows = Glyphs.TryGetValue(character, out byte[]? glyph) ? glyph : [31, 17, 17, 17, 17, 17, 31];
            for (int row = 0; row < GlyphHeight; row++)
            {
                for (int column = 0; column < GlyphWidth; column++)
                {
                    if ((rows[row] & (1 << (GlyphWidth - 1 - column))) != 0)
                    {
                        FillBlock(rgb, width, height, cursor + (column * scale), y + (row * scale), scale, colour);
                    }
                }
            }

            cursor += (GlyphWidth + 1) * scale;
        }
    }

    private static void FillBlock(byte[] rgb, int width, int height, int x, int y, int size, (byte R, byte G, byte B) colour)
    {
        for (int row = Math.Max(0, y); row < Math.Min(height, y + size); row++)
        {
            for (int column = Math.Max(0, x); column < Math.Min(width, x + size); column++)
            {
                int offset = ((row * width) + column) * 3;
                rgb[offset] = colour.R;
                rgb[offset + 1] = colour.G;
                rgb[offset + 2] = colour.B;
            }
        }
    }
}
