namespace IchFunctions.Dicom.Pixels.Codecs.Jpeg;

/// <summary>
/// A Huffman decoding table from a DHT segment (ITU-T T.81 Annex C), with a lookup table for codes of up to
/// <see cref="LookupBits"/> bits and the canonical MAXCODE/VALPTR tables for longer ones (Figure F.16).
/// </summary>
internal sealed class JpegHuffmanTable
{
    public const int LookupBits = 11;

    private readonly byte[] _values;
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];

    // Each entry is (code length << 8) | symbol, or 0 when the code is longer than LookupBits.
    private readonly ushort[] _lookup = new ushort[1 << LookupBits];

    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int count = counts[length - 1];
            _valueOffset[length] = k - code;
            if (count > 0)
            {
                for (int i = 0; i < count; i++)
                {
                    if (code >= 1 << length)
                    {
                        throw new DicomPixelDataException($"JPEG Huffman table has more codes of length {length} than fit; the DHT segment is corrupt.");
                    }

                    if (length <= LookupBits)
                    {
                        int shift = LookupBits - length;
                        int first = code << shift;
                        for (int fill = 0; fill < 1 << shift; fill++)
                        {
                            _lookup[first + fill] = (ushort)((length << 8) | values[k]);
                        }
                    }

                    code++;
                    k++;
                }

                _maxCode[length] = code - 1;
            }
            else
            {
                _maxCode[length] = -1;
            }

            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>
    /// Decodes the difference of one sample (ITU-T T.81 H.1.2.2): a category from the table, then that many extra
    /// bits. Throws for a code that is not in the table.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int DecodeDifference(ref JpegBitReader reader)
    {
        // 16 bits of code and 16 of extra bits at most, so one refill check covers both.
        reader.EnsureBits(32);
        int entry = _lookup[reader.PeekEnsured(LookupBits)];
        int category;
        if (entry != 0)
        {
            reader.SkipBits(entry >> 8);
            category = entry & 0xFF;
        }
        else
        {
            category = DecodeLongSymbol(ref reader);
        }

        if (category is 0 or 16)
        {
            return category == 0 ? 0 : 32768;
        }

        if ((uint)category > 16)
        {
            throw new DicomPixelDataException(category < 0
                ? "JPEG scan data holds a Huffman code that is not in its table; the codestream is corrupt."
                : $"JPEG scan data holds difference category {category}; at most 16 is valid.");
        }

        int bits = reader.PeekEnsured(category);
        reader.SkipBits(category);
        return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }

    /// <summary>The lookup table: (code length &lt;&lt; 8) | symbol for codes of up to <see cref="LookupBits"/> bits, else 0.</summary>
    internal ushort[] Lookup => _lookup;

    /// <summary>
    /// Decodes a code longer than <see cref="LookupBits"/> from the next 16 bits of the stream, MSB first.
    /// Returns (code length &lt;&lt; 8) | symbol, or -1 for a code not in the table.
    /// </summary>
    internal int DecodeLongCode(int next16Bits)
    {
        for (int length = LookupBits + 1; length <= 16; length++)
        {
            int prefix = next16Bits >> (16 - length);
            if (prefix <= _maxCode[length])
            {
                int index = _valueOffset[length] + prefix;
                return (uint)index < (uint)_values.Length ? (length << 8) | _values[index] : -1;
            }
        }

        return -1;
    }

    /// <summary>Decodes a symbol whose code is longer than <see cref="LookupBits"/>; returns -1 for a code not in the table.</summary>
    private int DecodeLongSymbol(ref JpegBitReader reader)
    {
        int code = reader.PeekBits(16);
        for (int length = LookupBits + 1; length <= 16; length++)
        {
            int prefix = code >> (16 - length);
            if (prefix <= _maxCode[length])
            {
                reader.SkipBits(length);
                int index = _valueOffset[length] + prefix;
                return (uint)index < (uint)_values.Length ? _values[index] : -1;
            }
        }

        return -1;
    }
}
