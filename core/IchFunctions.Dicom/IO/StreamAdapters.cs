namespace IchFunctions.Dicom.IO;

/// <summary>
/// How the parser reads from its stream: the single parser core is generic over this adapter, so the sync
/// entry points run it with <see cref="SyncStreamAdapter"/> (which always completes synchronously) and the
/// async ones with <see cref="AsyncStreamAdapter"/>.
/// </summary>
internal interface IStreamAdapter
{
    static abstract ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken);
}

internal readonly struct SyncStreamAdapter : IStreamAdapter
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) => new(stream.Read(buffer.Span));
}

internal readonly struct AsyncStreamAdapter : IStreamAdapter
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) => stream.ReadAsync(buffer, cancellationToken);
}
