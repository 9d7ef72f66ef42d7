using Azure.Storage.Blobs.Models;
using IchFunctions.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>Deletes every work blob of an instance; the orchestration calls it when it ends, whatever the outcome.</summary>
public sealed class DeleteWorkActivity(ScoringStorage storage, ILogger<DeleteWorkActivity> logger)
{
    [Function(ScoreStudyActivityNames.DeleteWork)]
    public async Task<int> RunAsync([ActivityTrigger] string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        int deleted = 0;
        await foreach (BlobItem blob in storage.Work.GetBlobsAsync(new GetBlobsOptions { Prefix = ScoreStudyNames.WorkPrefix(instanceId) }, cancellationToken).ConfigureAwait(false))
        {
            await storage.Work.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        Logs.WorkDeleted(logger, instanceId, deleted);
        return deleted;
    }
}
