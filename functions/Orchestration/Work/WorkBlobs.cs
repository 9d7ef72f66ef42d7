using System.Runtime.InteropServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>
/// Names and contents of one instance's blobs in the work container, all under
/// <see cref="ScoreStudyNames.WorkPrefix"/>. Voxels are int16 and probabilities float32, little endian,
/// slices in anatomical order, each slice row by row.
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

    public BlobClient HuChunk(int chunk) => container.GetBlobClient(FormattableString.Invariant($"{_prefix}hu/{chunk:D5}.i16"));

    public BlobClient ProbabilityChunk(int chunk) => container.GetBlobClient(FormattableString.Invariant($"{_prefix}probabilities/{chunk:D5}.f32"));

    /// <summary>An output prepared by the fan-in (SEG, SR, report.json, key images) before it is stored.</summary>
    public BlobClient Output(string name) => container.GetBlobClient(_prefix + "outputs/" + name);

    public static async Task UploadAsync<T>(BlobClient blob, T[] values, CancellationToken cancellationToken)
        where T : unmanaged
    {
        // NOTE: the bytes are in this machine's order, which is little endian on every platform .NET runs Functions on.
        byte[] bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
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
}
