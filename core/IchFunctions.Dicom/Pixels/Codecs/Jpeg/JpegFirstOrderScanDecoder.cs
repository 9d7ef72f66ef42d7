using System.Runtime.CompilerServices;

namespace IchFunctions.Dicom.Pixels.Codecs.Jpeg;

/// <summary>
/// Decodes the most common DICOM JPEG case, one component of up to 16 bits with predictor 1 (JPEG Lossless SV1) and
/// no restart intervals, straight into the frame. The bit buffer lives in locals, with one refill check per sample.
/// </summary>
internal static class JpegFirstOrderScanDecoder
{
    /// <summary>Decodes the scan starting at <paramref name="position"/> and returns the position after it.</summary>
    public static int Decode(ReadOnlySpan<byte> data, int position, int precision, int rows, int columns, JpegHuffmanTable table, Span<ushort> destination)
    {
        ReadOnlySpan<ushort> lookup = table.Lookup;
        ulong buffer = 0;
        int bitCount = 0;
        long realBits = 0;
        long consumedBits = 0;
        int prediction = 1 << (precision - 1);
        for (int row = 0; row < rows; row++)
        {
            Span<ushort> line = destination.Slice(row * columns, columns);
            if (row > 0)
            {
                prediction = destination[(row - 1) * columns];
            }

            for (int column = 0; column < line.Length; column++)
            {
                if (bitCount < 32)
                {
                    realBits += Refill(data, ref position, ref buffer, ref bitCount);
                }

                int entry = lookup[(int)(buffer >> (64 - JpegHuffmanTable.LookupBits))];
                if (entry == 0)
                {
                    entry = table.DecodeLongCode((int)(buffer >> 48));
                    if (entry < 0)
                    {
                        throw new DicomPixelDataException($"JPEG scan data holds a Huffman code that is not in its table at row {row}; the codestream is corrupt.");
                    }
                }

                int length = entry >> 8;
                int category = entry & 0xFF;
                buffer <<= length;
                bitCount -= length;
                int difference;
                if (category == 0)
                {
                    difference = 0;
                }
                else if (category < 16)
                {
                    int bits = (int)(buffer >> (64 - category));
                    buffer <<= category;
                    bitCount -= category;
                    length += category;
                    difference = bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
                }
                else if (category == 16)
                {
                    difference = 32768;
                }
                else
                {
                    throw new DicomPixelDataException($"JPEG scan data holds difference category {category} at row {row}; at most 16 is valid.");
                }

                consumedBits += length;
                prediction = (prediction + difference) & 0xFFFF;
                line[column] = (ushort)prediction;
            }
        }

        if (consumedBits > realBits)
        {
            throw new DicomPixelDataException(
                $"JPEG scan data ends {consumedBits - realBits} bits before the last of {rows} rows; the codestream is truncated.");
        }

        return position;
    }

    /// <summary>
    /// Tops the buffer up to at least 57 bits, removing stuffed zero bytes and supplying zero bits at a marker or the
    /// end of the data; returns the number of bits that came from the data.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Refill(ReadOnlySpan<byte> data, ref int position, ref ulong buffer, ref int bitCount)
    {
        int realBits = 0;
        while (bitCount <= 56)
        {
            int value = 0;
            if (position < data.Length)
            {
                value = data[position];
                if (value != 0xFF)
                {
                    position++;
                    realBits += 8;
                }
                else if (position + 1 < data.Length && data[position + 1] == 0x00)
                {
                    position += 2;
                    realBits += 8;
                }
                else
                {
                    value = 0;
                }
            }

            buffer |= (ulong)value << (56 - bitCount);
            bitCount += 8;
        }

        return realBits;
    }
}
