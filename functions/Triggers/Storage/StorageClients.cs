using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace IchFunctions.Functions.Triggers.Storage;

/// <summary>
/// Creates blob and queue clients for the app's storage account from the <c>AzureWebJobsStorage</c>
/// connection the Functions host uses: a connection string locally, or in Azure the identity-based form
/// (<c>AzureWebJobsStorage__blobServiceUri</c> and <c>__queueServiceUri</c>, or <c>__accountName</c>) with
/// the app's managed identity.
/// </summary>
public static class StorageClients
{
    public const string ConnectionName = "AzureWebJobsStorage";

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connectionString = configuration[ConnectionName];
        if (!string.IsNullOrEmpty(connectionString))
        {
            return new BlobServiceClient(connectionString);
        }

        return new BlobServiceClient(ServiceUri(configuration, "blob"), new DefaultAzureCredential());
    }

    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connectionString = configuration[ConnectionName];
        if (!string.IsNullOrEmpty(connectionString))
        {
            return new QueueServiceClient(connectionString);
        }

        return new QueueServiceClient(ServiceUri(configuration, "queue"), new DefaultAzureCredential());
    }

    private static Uri ServiceUri(IConfiguration configuration, string service)
    {
        IConfigurationSection section = configuration.GetSection(ConnectionName);
        string? uri = section[$"{service}ServiceUri"];
        if (!string.IsNullOrEmpty(uri))
        {
            return new Uri(uri);
        }

        string? account = section["accountName"];
        if (!string.IsNullOrEmpty(account))
        {
            return new Uri($"https://{account}.{service}.core.windows.net/");
        }

        throw new InvalidOperationException(
            $"App setting {ConnectionName} is missing: set it to a storage connection string, or set "
            + $"{ConnectionName}__accountName (or {ConnectionName}__{service}ServiceUri) for managed identity access.");
    }
}
