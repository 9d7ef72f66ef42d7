using System.Buffers.Binary;
using System.IO.Compression;
using IchFunctions.Imaging.Rendering;

namespace IchFunctions.Imaging.Tests.Rendering;

public sealed class PngWriterTests
{
    [Fact]
    public void WriteRgb_ProducesDecodablePng()
    {
        const int Width = 5;
        const int Height = 3;
        byte[] rgb = Enumerable.Range(0, Width * Height * 3).Select(i => (byte)(i * 7)).ToArray();
        using var stream = new MemoryStream();

        PngWriter.WriteRgb(stream, rgb, Width, Height);

        byte[] png = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(rgb, DecodeScanlines(png, Width, Height));
    }

    [Fact]
    public void WriteRgb_WrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => PngWriter.WriteRgb(new MemoryStream(), new byte[10], 2, 2));

        Assert.Contains("Expected 12 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DrawsMaskOutlineOnly()
    {
        short[] hu = Enumerable.Repeat((short)40, 25).ToArray();
        byte[] mask = new byte[25];
        foreach (int i in new[] { 6, 7, 8, 11, 12, 13, 16, 17, 18 })
        {
            mask[i] = 1;
        }

        byte[] rgb = SliceRenderer.Render(hu, mask, 5, 5, SliceRenderer.BrainWindow, (255, 0, 0));

        Assert.Equal(new byte[] { 127, 127, 127 }, rgb[(12 * 3)..(13 * 3)]);
        Assert.Equal(new byte[] { 255, 0, 0 }, rgb[(6 * 3)..(7 * 3)]);
        Assert.Equal(new byte[] { 127, 127, 127 }, rgb[0..3]);
    }

    /// <summary>Reads the IDAT chunks back and removes the per-row filter byte (always 0 here).</summary>
    private static byte[] DecodeScanlines(byte[] png, int width, int height)
    {
        using var idat = new MemoryStream();
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IDAT")
            {
                idat.Write(png, offset + 8, length);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        var pixels = new byte[width * height * 3];
        for (int row = 0; row < height; row++)
        {
            Assert.Equal(0, scanlines[row * ((width * 3) + 1)]);
            Array.Copy(scanlines, (row * ((width * 3) + 1)) + 1, pixels, row * width * 3, width * 3);
        }

        return pixels;
    }
}
