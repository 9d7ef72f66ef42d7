namespace IchFunctions.Dicom.IO;

/// <summary>
/// Writes DICOM Part 10 files: the 128-byte preamble, "DICM", the file meta information group with its group
/// length, then the data set in Explicit VR Little Endian (or Implicit VR Little Endian when asked, or the
/// source's encapsulated transfer syntax when Pixel Data is encapsulated). Values of odd length are padded
/// to even length with the VR's padding byte; sequences and items are written with undefined length.
/// Group length elements of the data set (gggg,0000), retired since DICOM 2008, are not written.
/// </summary>
public static class DicomWriter
{
    /// <summary>Implementation Class UID (0002,0012) written into every file, derived from the name "IchFunctions.Dicom".</summary>
    public static readonly string ImplementationClassUid = Uids.DicomUidGenerator.FromName("IchFunctions.Dicom implementation class");

    /// <summary>Implementation Version Name (0002,0013) written into every file.</summary>
    public const string ImplementationVersionName = "ICHFUNCTIONS_1";

    public static void Write(Stream stream, DicomFile file, DicomWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        ValueTask task = new DicomWriterCore<SyncStreamWriteAdapter>(stream, CancellationToken.None).WriteFileAsync(file, options ?? DicomWriterOptions.Default);
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("The synchronous DICOM writer did not complete synchronously.");
        }

        task.GetAwaiter().GetResult();
    }

    public static ValueTask WriteAsync(Stream stream, DicomFile file, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        return new DicomWriterCore<AsyncStreamWriteAdapter>(stream, cancellationToken).WriteFileAsync(file, options ?? DicomWriterOptions.Default);
    }

    /// <summary>Writes a file to a temporary path beside <paramref name="path"/> and moves it into place, so a failure leaves no partial file.</summary>
    public static async ValueTask WriteFileAsync(string path, DicomFile file, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + $".{Guid.NewGuid():N}.tmp";
        try
        {
            FileStream stream = new(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await WriteAsync(stream, file, options, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
