using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Storage;

/// <summary>
/// Moves a message no retry can process to <c>{queue}-poison</c>, the queue the Functions host uses for
/// messages past their dequeue limit, so that one place contains every unprocessed message. The message text
/// is kept unchanged so it can be replayed; the reason goes to the log with both message IDs.
/// </summary>
public sealed class PoisonMessageWriter(QueueServiceClient queues, ILogger<PoisonMessageWriter> logger)
{
    public const string Suffix = "-poison";

    public async Task SendAsync(string queueName, string messageId, string messageText, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        QueueClient poison = queues.GetQueueClient(queueName + Suffix);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        SendReceipt receipt = await poison.SendMessageAsync(messageText, cancellationToken).ConfigureAwait(false);
        TriggerLogs.MessagePoisoned(logger, queueName, messageId, poison.Name, receipt.MessageId, reason);
    }
}
