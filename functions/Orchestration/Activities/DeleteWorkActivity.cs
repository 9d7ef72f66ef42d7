using Azure.Storage.Blobs.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>Deletes every work blob of an instance; the orchestration calls it when it ends, whatever the outcome.</summary>
public sealed class DeleteWorkActivity(ScoringStorage storage, VoxelCache voxelCache, ILogger<DeleteWorkActivity> logger)
{
    [Function(ScoreStudyActivityNames.DeleteWork)]
    public async Task<int> RunAsync([ActivityTrigger] string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        voxelCache.RemovePrefix(ScoreStudyNames.WorkPrefix(instanceId));
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        await foreach (BlobItem blob in storage.Work.GetBlobsAsync(new GetBlobsOptions { Prefix = ScoreStudyNames.WorkPrefix(instanceId) }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(blob.Name);
        }

        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (name, token) =>
            await storage.Work.DeleteBlobIfExistsAsync(name, cancellationToken: token).ConfigureAwait(false)).ConfigureAwait(false);
        int deleted = names.Count;

        Logs.WorkDeleted(logger, instanceId, deleted);
        return deleted;
    }
}
