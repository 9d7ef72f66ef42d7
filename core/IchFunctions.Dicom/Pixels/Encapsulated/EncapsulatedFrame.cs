using System.Buffers;

namespace IchFunctions.Dicom.Pixels.Encapsulated;

/// <summary>
/// The encoded bytes of one frame. A frame held by one fragment is a view of that fragment; a frame spread over
/// several fragments is joined into a pooled buffer, which <see cref="Dispose"/> returns.
/// </summary>
public readonly struct EncapsulatedFrame : IDisposable
{
    private readonly byte[]? _rented;

    internal EncapsulatedFrame(ReadOnlyMemory<byte> data, byte[]? rented, long offset)
    {
        Data = data;
        _rented = rented;
        Offset = offset;
    }

    /// <summary>The frame's encoded bytes (a codestream for JPEG-family syntaxes, an RLE segment set for RLE).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Offset of the frame's first fragment item from the first fragment item, as in the offset tables.</summary>
    public long Offset { get; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
