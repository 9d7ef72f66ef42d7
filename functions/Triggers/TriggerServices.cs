using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Metadata;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Functions.Triggers.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IchFunctions.Functions.Triggers;

/// <summary>Registers the services the trigger functions use.</summary>
public static class TriggerServices
{
    public static IServiceCollection AddIchTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => StorageClients.CreateBlobServiceClient(configuration));
        services.TryAddSingleton(_ => StorageClients.CreateQueueServiceClient(configuration));
        services.AddHttpClient<IDicomMetadataLookup, QidoMetadataLookup>();
        services.TryAddSingleton<IModelVersionSource, ModelContractVersionSource>();
        services.TryAddSingleton<StudyScheduler>();
        services.TryAddSingleton<PoisonMessageWriter>();
        services.TryAddSingleton<DicomEventProcessor>();
        return services;
    }
}
