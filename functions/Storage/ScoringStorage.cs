using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IchFunctions.Functions.Options;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Storage;

/// <summary>
/// The work and results containers and the alerts queue of the app's storage account. Each is created on
/// first use, once per process.
/// </summary>
public sealed class ScoringStorage : IDisposable
{
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _created;

    public ScoringStorage(BlobServiceClient blobs, QueueServiceClient queues, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(options);
        Blobs = blobs;
        Work = blobs.GetBlobContainerClient(options.Value.WorkContainer);
        Results = blobs.GetBlobContainerClient(options.Value.ResultsContainer);
        Alerts = queues.GetQueueClient(options.Value.AlertsQueue);
    }

    public BlobServiceClient Blobs { get; }

    /// <summary>Intermediate chunks, probabilities and prepared outputs, under <see cref="Orchestration.ScoreStudyNames.WorkPrefix"/>.</summary>
    public BlobContainerClient Work { get; }

    /// <summary>report.json, key images, and the SEG and SR of blob sources.</summary>
    public BlobContainerClient Results { get; }

    /// <summary>One message per exam positive at the operating point.</summary>
    public QueueClient Alerts { get; }

    /// <summary>Creates the containers and the queue unless they exist. A failure is not remembered, so the next call tries again.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await Work.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await Results.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await Alerts.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _creating.Release();
        }
    }

    public void Dispose() => _creating.Dispose();
}
