using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Uploads;

/// <summary>Body of <c>{blob}.rejected.json</c> in the results container.</summary>
/// <param name="Container">Container the upload arrived in.</param>
/// <param name="Blob">Name of the rejected blob.</param>
/// <param name="Reason">Why it was rejected and what to do instead.</param>
/// <param name="RejectedAt">When the trigger rejected it.</param>
public sealed record UploadRejection(string Container, string Blob, string Reason, DateTimeOffset RejectedAt);

/// <summary>
/// Writes the reason an upload was rejected next to where its results would go: <c>{name}.rejected.json</c>
/// in the results container, so the uploader finds the reason without access to the logs.
/// </summary>
public sealed class UploadRejectionWriter(ILogger<UploadRejectionWriter> logger)
{
    public const string Suffix = ".rejected.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(BlobContainerClient results, string incomingContainer, string blobName, string reason, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(clock);
        var rejection = new UploadRejection(incomingContainer, blobName, reason, clock.GetUtcNow());
        await results.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await results.GetBlobClient(blobName + Suffix)
            .UploadAsync(BinaryData.FromObjectAsJson(rejection, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
        TriggerLogs.UploadRejected(logger, incomingContainer, blobName, results.Name, reason);
    }
}
