using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Triggers.Uploads;

/// <summary>
/// Blob trigger on the incoming container, fed by Event Grid BlobCreated events as the Flex Consumption plan
/// requires. The blob is bound as a stream and never read whole into memory.
/// </summary>
public sealed class IncomingBlobFunction(UploadProcessor processor)
{
    public const string Name = "IncomingBlob";

    [Function(Name)]
    public async Task RunAsync(
        [BlobTrigger("%Storage:IncomingContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] Stream blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        await processor.ProcessAsync(client, blob, name, cancellationToken).ConfigureAwait(false);
    }
}
