using Azure.Storage.Blobs;
using IchFunctions.Functions.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>
/// The sweep's state in the results container: <c>sweep/changefeed-checkpoint.json</c> (the change feed
/// position) and <c>sweep/slots.json</c> (the instances sweeps and backfills started that still run).
/// </summary>
public sealed class SweepStore(BlobServiceClient blobs, IOptions<StorageOptions> options, SweepLimits limits, TimeProvider time, ILogger<SweepStore> logger)
{
    public const string CheckpointBlobName = "sweep/changefeed-checkpoint.json";
    public const string SlotsBlobName = "sweep/slots.json";

    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.ResultsContainer);

    internal ConditionalJsonBlob<SweepCheckpoint> Checkpoint => new(Container.GetBlobClient(CheckpointBlobName));

    public SweepSlots Slots => new(new ConditionalJsonBlob<SweepSlots.SlotList>(Container.GetBlobClient(SlotsBlobName)), limits, time, logger);

    public SweepLimits Limits => limits;

    public TimeProvider Time => time;

    public async Task EnsureContainerAsync(CancellationToken cancellationToken) =>
        await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}
