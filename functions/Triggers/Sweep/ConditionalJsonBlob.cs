using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>A JSON document read with its ETag and written only if no other writer changed it in between.</summary>
internal sealed class ConditionalJsonBlob<T>(BlobClient blob)
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => blob.Name;

    /// <summary>Reads the document; a missing blob returns a null value and a null ETag.</summary>
    public async Task<(T? Value, ETag? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Response<BlobDownloadResult> response = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            T value = response.Value.Content.ToObjectFromJson<T>(Json)
                ?? throw new InvalidDataException($"Blob {blob.BlobContainerName}/{blob.Name} contains JSON null, which is invalid; delete the blob to start over.");
            return (value, response.Value.Details.ETag);
        }
        catch (RequestFailedException error) when (error.Status == (int)HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Writes the document if its ETag is still <paramref name="expected"/> (or, for null, if the blob does
    /// not exist yet). Returns the new ETag, or null when another writer changed the blob first.
    /// </summary>
    public async Task<ETag?> TryWriteAsync(T value, ETag? expected, CancellationToken cancellationToken)
    {
        var conditions = expected is { } eTag ? new BlobRequestConditions { IfMatch = eTag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            Response<BlobContentInfo> response = await blob.UploadAsync(
                BinaryData.FromObjectAsJson(value, Json),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
            return response.Value.ETag;
        }
        catch (RequestFailedException error) when (error.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}
