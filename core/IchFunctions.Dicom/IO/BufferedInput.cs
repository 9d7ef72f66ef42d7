using System.Buffers;

namespace IchFunctions.Dicom.IO;

/// <summary>
/// A forward-only window over the input stream in a pooled buffer. Offsets count from where the stream
/// stood when reading began. The total length is known for seekable streams, which lets the parser reject a
/// declared length past the end before allocating. For other streams values grow as their bytes arrive, so
/// memory stays within a small multiple of the bytes actually read.
/// </summary>
internal sealed class BufferedInput : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int FirstChunkSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _endOfStream;

    public BufferedInput(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        Length = stream.CanSeek ? stream.Length - stream.Position : null;
    }

    /// <summary>Offset of the next unread byte.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Total input length when the stream can tell; null for streams that cannot seek.</summary>
    public long? Length { get; }

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

    public void Advance(int count) => _start += count;

    /// <summary>Buffers up to <paramref name="count"/> bytes (at most 64 KiB) and returns how many are buffered.</summary>
    public async ValueTask<int> FillAsync<TAdapter>(int count, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        while (_end - _start < count && !_endOfStream)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _bufferOffset += _start;
                _end -= _start;
                _start = 0;
            }

            int read = await TAdapter.ReadAsync(_stream, _buffer.AsMemory(_end, _buffer.Length - _end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }

        return Math.Min(count, _end - _start);
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes into a new array; returns null with the count actually
    /// available when the input ends first.
    /// </summary>
    public async ValueTask<(byte[]? Value, long Available)> ReadExactAsync<TAdapter>(int length, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        long knownRemaining = Length is { } total ? total - Position : long.MaxValue;
        if (length > knownRemaining)
        {
            return (null, knownRemaining);
        }

        byte[] value = new byte[Math.Min(length, Length is null ? FirstChunkSize : length)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == value.Length)
            {
                Array.Resize(ref value, (int)Math.Min(length, (long)value.Length * 2));
            }

            if (_end > _start)
            {
                filled += TakeBuffered(value.AsSpan(filled, Math.Min(value.Length - filled, _end - _start)));
                continue;
            }

            int read = await TAdapter.ReadAsync(_stream, value.AsMemory(filled, value.Length - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                return (null, filled);
            }

            filled += read;
            _bufferOffset += read;
        }

        return (value, length);
    }

    /// <summary>Fills <paramref name="target"/> from the input; returns how many bytes were available (fewer when the input ends first).</summary>
    public async ValueTask<long> ReadIntoAsync<TAdapter>(Memory<byte> target, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        int filled = 0;
        while (filled < target.Length)
        {
            if (_end > _start)
            {
                filled += TakeBuffered(target.Span.Slice(filled, Math.Min(target.Length - filled, _end - _start)));
                continue;
            }

            int read = await TAdapter.ReadAsync(_stream, target[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                return filled;
            }

            filled += read;
            _bufferOffset += read;
        }

        return filled;
    }

    /// <summary>
    /// Returns a stream of the input from the current position on: the buffered bytes, then the rest of the
    /// underlying stream. Used to inflate a deflated data set.
    /// </summary>
    public Stream RemainderAsStream() => new PrefixedStream(_buffer.AsMemory(_start, _end - _start).ToArray(), _stream);

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int TakeBuffered(Span<byte> target)
    {
        _buffer.AsSpan(_start, target.Length).CopyTo(target);
        _start += target.Length;
        return target.Length;
    }
}

/// <summary>A read-only stream that serves a prefix array and then the rest of another stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private int _prefixPosition;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < prefix.Length)
        {
            int count = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
            prefix.AsSpan(_prefixPosition, count).CopyTo(buffer);
            _prefixPosition += count;
            return count;
        }

        return rest.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return _prefixPosition < prefix.Length ? new ValueTask<int>(Read(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
