using System.Text;

namespace IchFunctions.Dicom.Tests.Support;

/// <summary>
/// A non-seekable multipart/related body generated while it is read: <paramref name="parts"/> parts of
/// <paramref name="partLength"/> bytes each (a repeating byte pattern), without holding the body in memory.
/// </summary>
internal sealed class GeneratedMultipartStream(string boundary, int parts, int partLength) : Stream
{
    private readonly byte[] _header = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n");
    private readonly byte[] _closing = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
    private readonly byte[] _separator = Encoding.ASCII.GetBytes("\r\n");
    private int _part;
    private long _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_part == parts)
        {
            return 0;
        }

        // Layout of each part: header, content, then "\r\n" (or the closing delimiter after the last part).
        byte[] trailer = _part == parts - 1 ? _closing : _separator;
        long partSize = _header.Length + partLength + trailer.Length;
        int count = (int)Math.Min(buffer.Length, partSize - _offset);
        for (int i = 0; i < count; i++)
        {
            long position = _offset + i;
            buffer[i] = position < _header.Length ? _header[position]
                : position < _header.Length + partLength ? (byte)((position - _header.Length) % 251)
                : trailer[position - _header.Length - partLength];
        }

        _offset += count;
        if (_offset == partSize)
        {
            _part++;
            _offset = 0;
        }

        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
