using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Smoke;

/// <summary>Proves the Azurite instance started by build.sh serves blobs and queues.</summary>
public sealed class AzuriteSmokeTests
{
    [Fact]
    public async Task Blob_UploadThenDownload_ReturnsSameBytes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var container = new BlobContainerClient(TestServers.AzuriteConnectionString, $"smoke-{Guid.NewGuid():N}");
        await container.CreateAsync(cancellationToken: cancellationToken);
        try
        {
            byte[] content = new byte[70_000];
            Random.Shared.NextBytes(content);
            BlobClient blob = container.GetBlobClient("folder/content.bin");

            await blob.UploadAsync(new BinaryData(content), cancellationToken);
            BinaryData downloaded = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;

            Assert.Equal(content, downloaded.ToArray());
        }
        finally
        {
            await container.DeleteAsync(cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public async Task Queue_SendThenReceive_ReturnsSameMessage()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var queue = new QueueClient(TestServers.AzuriteConnectionString, $"smoke-{Guid.NewGuid():N}");
        await queue.CreateAsync(cancellationToken: cancellationToken);
        try
        {
            await queue.SendMessageAsync("{\"study\":\"1.2.3\"}", cancellationToken);
            QueueMessage[] received = (await queue.ReceiveMessagesAsync(maxMessages: 5, cancellationToken: cancellationToken)).Value;

            QueueMessage message = Assert.Single(received);
            Assert.Equal("{\"study\":\"1.2.3\"}", message.Body.ToString());
        }
        finally
        {
            await queue.DeleteAsync(CancellationToken.None);
        }
    }
}
