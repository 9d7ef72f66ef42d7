using System.Buffers;
using System.Text;
using IchFunctions.Dicom.IO;

namespace IchFunctions.Dicom.Multipart;

/// <summary>One body part: its headers and a stream of its content, valid until the next part is requested.</summary>
public sealed class MultipartPart
{
    internal MultipartPart(IReadOnlyDictionary<string, string> headers, Stream body)
    {
        Headers = headers;
        Body = body;
    }

    /// <summary>Part headers by name, case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    /// <summary>The part content, read straight from the underlying stream up to the next delimiter.</summary>
    public Stream Body { get; }
}

/// <summary>
/// Reads a multipart/related body (RFC 2046 section 5.1, RFC 2387) part by part while it arrives, holding at
/// most one 64 KiB buffer: WADO-RS responses of whole studies stream through without being buffered.
/// Sync and async reads share one core, generic over the stream adapter.
/// </summary>
public sealed class MultipartRelatedReader : IDisposable
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Largest header block of one part; longer ones are rejected as malformed.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    private readonly Stream _input;
    private readonly byte[] _delimiter;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _started;
    private bool _closed;
    private bool _inBody;

    public MultipartRelatedReader(Stream input, string boundary)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _input = input;
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);

        // The first delimiter may open the body without a preceding line break; a virtual CRLF lets one search find both.
        "\r\n"u8.CopyTo(_buffer);
        _end = 2;
    }

    /// <summary>Returns the next part, or null after the closing delimiter. Unread content of the previous part is skipped.</summary>
    public ValueTask<MultipartPart?> ReadNextPartAsync(CancellationToken cancellationToken = default) => ReadNextPartAsync<AsyncStreamAdapter>(cancellationToken);

    public MultipartPart? ReadNextPart()
    {
        ValueTask<MultipartPart?> task = ReadNextPartAsync<SyncStreamAdapter>(CancellationToken.None);
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("The synchronous multipart reader did not complete synchronously.");
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<MultipartPart?> ReadNextPartAsync<TAdapter>(CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        if (_closed)
        {
            return null;
        }

        if (!_started)
        {
            // Skip the preamble: it is read as if it were the body of a part before the first delimiter.
            _started = true;
            _inBody = true;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await ReadBodyAsync<TAdapter>(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        await FillAsync<TAdapter>(2, cancellationToken).ConfigureAwait(false);
        if (_end - _start >= 2 && _buffer.AsSpan(_start, 2).SequenceEqual("--"u8))
        {
            _closed = true;
            return null;
        }

        Dictionary<string, string> headers = await ReadHeadersAsync<TAdapter>(cancellationToken).ConfigureAwait(false);
        _inBody = true;
        return new MultipartPart(headers, new PartStream(this));
    }

    private async ValueTask<Dictionary<string, string>> ReadHeadersAsync<TAdapter>(CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        // The delimiter line ends with optional transport padding and CRLF; headers follow up to an empty line.
        int end;
        while (true)
        {
            int found = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                end = _start + found;
                break;
            }

            if (_end - _start > MaxHeaderBytes || _endOfStream)
            {
                throw new MultipartFormatException(_endOfStream
                    ? "The multipart body ends inside a part's headers; the response was cut off."
                    : $"A part's headers exceed {MaxHeaderBytes} bytes; the body is not multipart/related or the boundary is wrong.");
            }

            await FillAsync<TAdapter>(_end - _start + 1, cancellationToken).ConfigureAwait(false);
        }

        string block = Encoding.Latin1.GetString(_buffer, _start, end - _start);
        _start = end + 4;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] lines = block.Split("\r\n");
        if (lines[0].Trim(' ', '\t').Length > 0)
        {
            throw new MultipartFormatException("The boundary delimiter line is followed by text other than padding; the boundary does not match the body.");
        }

        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new MultipartFormatException("A part header line has no 'name: value' form; the multipart body is malformed.");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return headers;
    }

    /// <summary>Copies part content up to the next delimiter; returns 0 once the delimiter has been consumed.</summary>
    internal async ValueTask<int> ReadBodyAsync<TAdapter>(Memory<byte> destination, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (!_inBody || destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            int found = _buffer.AsSpan(_start, _end - _start).IndexOf(_delimiter);
            int safe = found >= 0 ? found : Math.Max(0, _end - _start - (_delimiter.Length - 1));
            if (safe > 0)
            {
                int count = Math.Min(safe, destination.Length);
                _buffer.AsSpan(_start, count).CopyTo(destination.Span);
                _start += count;
                return count;
            }

            if (found == 0)
            {
                _start += _delimiter.Length;
                _inBody = false;
                return 0;
            }

            if (_endOfStream)
            {
                throw new MultipartFormatException("The multipart body ends without its closing boundary delimiter; the response was cut off.");
            }

            await FillAsync<TAdapter>(_end - _start + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync<TAdapter>(int count, CancellationToken cancellationToken)
        where TAdapter : IStreamAdapter
    {
        while (_end - _start < count && !_endOfStream)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                return;
            }

            int read = await TAdapter.ReadAsync(_input, _buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _endOfStream = read == 0;
            _end += read;
        }
    }

    /// <summary>The read-only stream of one part's content.</summary>
    private sealed class PartStream(MultipartRelatedReader reader) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                ValueTask<int> task = reader.ReadBodyAsync<SyncStreamAdapter>(rented.AsMemory(0, buffer.Length), CancellationToken.None);
                int count = task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("A synchronous part read did not complete synchronously.");
                rented.AsSpan(0, count).CopyTo(buffer);
                return count;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reader.ReadBodyAsync<AsyncStreamAdapter>(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
