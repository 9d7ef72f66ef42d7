using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Functions.Studies;

/// <summary>An exam uploaded as one blob per DICOM instance under a prefix. Locations are blob names.</summary>
public sealed class BlobPrefixSource : IInstanceSource
{
    private readonly BlobContainerClient _container;

    private BlobPrefixSource(BlobContainerClient container, string prefix, IReadOnlyList<string> locations)
    {
        _container = container;
        Locations = locations;
        Description = $"blobs under {container.Name}/{prefix} ({locations.Count} blobs)";
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    public static async Task<BlobPrefixSource> OpenAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(prefix);
        var names = new List<string>();
        await foreach (BlobItem item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return new BlobPrefixSource(container, prefix, names);
    }

    /// <summary>Downloads one blob; the instance readers need a seekable stream, so it is read into memory.</summary>
    public Stream Open(string location)
    {
        BinaryData content = _container.GetBlobClient(location).DownloadContent().Value.Content;
        return content.ToStream();
    }

    public void Dispose()
    {
    }
}
