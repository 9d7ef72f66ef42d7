namespace IchFunctions.Dicom.IO;

/// <summary>
/// Reads DICOM Part 10 files and bare data sets in Implicit VR Little Endian, Explicit VR Little Endian,
/// Explicit VR Big Endian and Deflated Explicit VR Little Endian (and the encapsulated syntaxes, whose pixel
/// data is kept as fragments). Streams need not be seekable. Malformed input raises a
/// <see cref="DicomDataException"/> subtype naming the tag, offset and lengths involved.
/// </summary>
public static class DicomReader
{
    public static DicomFile Read(Stream stream, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var parser = new DicomParser<SyncStreamAdapter>(stream, options ?? DicomReaderOptions.Default, CancellationToken.None);
        ValueTask<DicomFile> task = parser.ReadFileAsync();
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("The synchronous DICOM parser did not complete synchronously.");
        }

        return task.GetAwaiter().GetResult();
    }

    public static async ValueTask<DicomFile> ReadAsync(Stream stream, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var parser = new DicomParser<AsyncStreamAdapter>(stream, options ?? DicomReaderOptions.Default, cancellationToken);
        return await parser.ReadFileAsync().ConfigureAwait(false);
    }

    public static DicomFile ReadFile(string path, DicomReaderOptions? options = null)
    {
        using FileStream stream = OpenFile(path);
        return Read(stream, options);
    }

    public static async ValueTask<DicomFile> ReadFileAsync(string path, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        FileStream stream = OpenFile(path, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static FileStream OpenFile(string path, bool useAsync = false) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync ? FileOptions.Asynchronous | FileOptions.SequentialScan : FileOptions.SequentialScan);
}
