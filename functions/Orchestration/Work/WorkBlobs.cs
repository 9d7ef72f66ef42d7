using System.Runtime.InteropServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>
/// Names and contents of one instance's blobs in the work container, all under
/// <see cref="ScoreStudyNames.WorkPrefix"/>. Voxels are int16, little endian, slices in anatomical order,
/// each slice row by row. Pixel probabilities are kept only where they reach the pixel threshold, as
/// <see cref="MaskedPixel"/> records.
/// </summary>
public sealed class WorkBlobs(BlobContainerClient container, string instanceId)
{
    private readonly string _prefix = ScoreStudyNames.WorkPrefix(instanceId);

    /// <summary>The selected series' <see cref="Imaging.Selection.InstanceHeader"/> list in anatomical order (JSON).</summary>
    public BlobClient SelectedInstances => container.GetBlobClient(_prefix + "selection/instances.json");

    /// <summary>The selected series' headers in the same order as DICOM JSON, which the SEG and SR copy from.</summary>
    public BlobClient SelectedHeaders => container.GetBlobClient(_prefix + "selection/headers.json");

    /// <summary>Every series' selection record (JSON), for report.json.</summary>
    public BlobClient SeriesRecords => container.GetBlobClient(_prefix + "selection/series.json");

    /// <summary>A selected instance copied out of an uploaded zip, by its index in anatomical order.</summary>
    public BlobClient StagedInstance(int index) => container.GetBlobClient(FormattableString.Invariant($"{_prefix}instances/{index:D5}.dcm"));

    public BlobClient HuChunk(int chunk) => container.GetBlobClient(FormattableString.Invariant($"{_prefix}hu/{chunk:D5}.i16"));

    /// <summary>The <see cref="MaskedPixel"/> records of one chunk, in index order.</summary>
    public BlobClient MaskedPixelChunk(int chunk) => container.GetBlobClient(FormattableString.Invariant($"{_prefix}masked-pixels/{chunk:D5}.bin"));

    /// <summary>An output prepared by the fan-in (SEG, SR, report.json, key images) before it is stored.</summary>
    public BlobClient Output(string name) => container.GetBlobClient(_prefix + "outputs/" + name);

    /// <summary>Writes <paramref name="values"/> as the whole blob and returns the blob's new ETag.</summary>
    public static async Task<ETag> UploadAsync<T>(BlobClient blob, T[] values, CancellationToken cancellationToken)
        where T : unmanaged
    {
        // NOTE: the bytes are in this machine's order, which is little endian on every platform .NET runs Functions on.
        byte[] bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return (await blob.UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken).ConfigureAwait(false)).Value.ETag;
    }

    /// <summary>Reads <paramref name="destination"/>.Length values starting at value <paramref name="firstValue"/> of the blob.</summary>
    public static async Task DownloadAsync<T>(BlobClient blob, long firstValue, Memory<T> destination, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        var range = new HttpRange(firstValue * size, (long)destination.Length * size);
        BlobDownloadResult result = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = range }, cancellationToken).ConfigureAwait(false)).Value;
        ReadOnlySpan<byte> bytes = result.Content.ToMemory().Span;
        if (bytes.Length != destination.Length * size)
        {
            throw new InvalidDataException($"Work blob {blob.Name} returned {bytes.Length} bytes at offset {range.Offset}, expected {range.Length}.");
        }

        bytes.CopyTo(MemoryMarshal.AsBytes(destination.Span));
    }

    /// <summary>Reads a whole blob of <typeparamref name="T"/> values.</summary>
    public static async Task<T[]> DownloadAllAsync<T>(BlobClient blob, CancellationToken cancellationToken)
        where T : unmanaged
    {
        BlobDownloadResult result = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        ReadOnlySpan<byte> bytes = result.Content.ToMemory().Span;
        if (bytes.Length % Marshal.SizeOf<T>() != 0)
        {
            throw new InvalidDataException(
                $"Work blob {blob.Name} is invalid: it has {bytes.Length} bytes, not a multiple of the {Marshal.SizeOf<T>()}-byte value size; score the study again.");
        }

        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
