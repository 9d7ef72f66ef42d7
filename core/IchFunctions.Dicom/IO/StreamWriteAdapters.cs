namespace IchFunctions.Dicom.IO;

/// <summary>How the writer core writes to its stream; see <see cref="IStreamAdapter"/> for the pattern.</summary>
internal interface IStreamWriteAdapter
{
    static abstract ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);
}

internal readonly struct SyncStreamWriteAdapter : IStreamWriteAdapter
{
    public static ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        stream.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }
}

internal readonly struct AsyncStreamWriteAdapter : IStreamWriteAdapter
{
    public static ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        stream.WriteAsync(bytes, cancellationToken);
}
