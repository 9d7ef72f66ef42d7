using Azure.Storage.Blobs;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Functions.Studies;

/// <summary>Downloads DICOM instances stored one per blob, several at a time, into memory.</summary>
public static class BlobInstances
{
    /// <summary>Blob transfers kept in flight: the downloads here, and the uploads of zip entries selection copies.</summary>
    public const int MaxConcurrentTransfers = 8;

    /// <summary>Returns the blobs <paramref name="names"/> of <paramref name="container"/> as a source whose locations are the blob names.</summary>
    public static Task<MemorySource> DownloadAllAsync(BlobContainerClient container, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(names);
        return MemorySource.ReadAllAsync(
            $"{names.Count} blobs in {container.Name}",
            names,
            async (name, token) => (await container.GetBlobClient(name).DownloadContentAsync(token).ConfigureAwait(false)).Value.Content.ToArray(),
            MaxConcurrentTransfers,
            cancellationToken);
    }
}
