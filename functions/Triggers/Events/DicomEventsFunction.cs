using Azure.Storage.Queues.Models;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Events;

/// <summary>
/// Queue trigger on the queue that Event Grid fills with DICOM service events. A message that cannot be
/// parsed goes to the poison queue at once with its reason. A failure while handling a valid event (the
/// DICOM service or the task hub unreachable) is thrown, so the host retries the message and moves it to
/// the poison queue after host.json's maxDequeueCount.
/// </summary>
public sealed class DicomEventsFunction(
    DicomEventProcessor processor,
    PoisonMessageWriter poison,
    IOptions<StorageOptions> storage,
    ILogger<DicomEventsFunction> logger)
{
    public const string Name = "DicomEvents";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger("%Storage:DicomEventsQueue%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(client);
        string text = message.Body.ToString();
        IReadOnlyList<DicomImageCreated> events;
        IReadOnlyList<string> otherTypes;
        try
        {
            events = DicomEventParser.Parse(text, out otherTypes);
        }
        catch (MalformedEventException error)
        {
            await poison.SendAsync(storage.Value.DicomEventsQueue, message.MessageId, text, error.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (string type in otherTypes)
        {
            TriggerLogs.EventTypeIgnored(logger, message.MessageId, type);
        }

        foreach (DicomImageCreated imageCreated in events)
        {
            await processor.ProcessAsync(client, imageCreated, cancellationToken).ConfigureAwait(false);
        }
    }
}
