namespace IchFunctions.Dicom.Pixels.Codecs.Jpeg;

/// <summary>
/// Reads entropy-coded JPEG data MSB first, removing the 0x00 stuffed after each 0xFF. At a marker or the end of
/// the data it stops consuming bytes and supplies zero bits, and counts the ones the decoder actually uses so a
/// truncated codestream can be reported.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer;
    private int _bitCount;
    private int _paddingInBuffer;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>Zero bits consumed beyond the entropy-coded data; non-zero means the codestream is truncated.</summary>
    public int OverrunBits { get; private set; }

    /// <summary>Position of the next unread byte; at a marker once the data before it has been buffered.</summary>
    public readonly int Position => _position;

    /// <summary>Fills the buffer so that at least <paramref name="count"/> bits (at most 57) can be peeked without a check.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void EnsureBits(int count)
    {
        if (_bitCount < count)
        {
            Fill();
        }
    }

    /// <summary>Peeks bits already ensured by <see cref="EnsureBits"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public readonly int PeekEnsured(int count) => (int)(_buffer >> (64 - count));

    public int PeekBits(int count)
    {
        if (_bitCount < count)
        {
            Fill();
        }

        return (int)(_buffer >> (64 - count));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void SkipBits(int count)
    {
        int realBits = _bitCount - _paddingInBuffer;
        if (count > realBits)
        {
            OverrunBits += count - realBits;
            _paddingInBuffer -= count - realBits;
        }

        _buffer <<= count;
        _bitCount -= count;
    }

    public int ReadBits(int count)
    {
        int value = PeekBits(count);
        SkipBits(count);
        return value;
    }

    /// <summary>
    /// Discards the buffered fill bits and reads the next RSTn marker, skipping stray bytes before it as libjpeg
    /// does; returns false when no restart marker follows.
    /// </summary>
    public bool ReadRestartMarker()
    {
        _buffer = 0;
        _bitCount = 0;
        _paddingInBuffer = 0;
        while (_position + 1 < _data.Length)
        {
            if (_data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7)
            {
                _position += 2;
                return true;
            }

            if (_data[_position] == 0xFF && _data[_position + 1] is not (0x00 or 0xFF))
            {
                return false;
            }

            _position++;
        }

        return false;
    }

    private void Fill()
    {
        while (_bitCount <= 56)
        {
            int value = 0;
            bool padding = true;
            if (_position < _data.Length)
            {
                value = _data[_position];
                if (value != 0xFF)
                {
                    _position++;
                    padding = false;
                }
                else if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
                {
                    _position += 2;
                    padding = false;
                }
                else
                {
                    // A marker: leave it unread.
                    value = 0;
                }
            }

            _buffer |= (ulong)value << (56 - _bitCount);
            _bitCount += 8;
            if (padding)
            {
                _paddingInBuffer += 8;
            }
        }
    }
}
