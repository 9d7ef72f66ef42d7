using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration.Activities;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Functions.Studies;
using IchFunctions.Imaging.Inference.Remote;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions;

/// <summary>Registers the services behind the ScoreStudy activities, shared by the Functions app and the tests.</summary>
public static class ScoringServices
{
    /// <summary>Name of the storage connection the Functions host also uses for Durable Task state.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// Registers the storage clients, the DICOM service client, the model runner and the activities. The storage
    /// account is the <c>AzureWebJobsStorage</c> connection string, or its <c>__blobServiceUri</c> and
    /// <c>__queueServiceUri</c> with the app's managed identity. Options must be registered with
    /// <see cref="OptionsRegistration.AddIchFunctionsOptions"/> and the DICOM service client with
    /// <see cref="DicomServiceRegistration.AddDicomServiceClient"/>.
    /// </summary>
    public static IServiceCollection AddScoreStudyServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        AddStorageClients(services, configuration);
        services.AddSingleton<ScoringStorage>();
        services.AddSingleton<StudySources>();
        services.AddSingleton<VoxelCache>();
        services.AddSingleton(provider => new ModelRunnerProvider(
            provider.GetRequiredService<IOptions<InferenceOptions>>(),
            provider.GetRequiredService<TokenCredential>(),
            provider.GetService<Func<RemoteModelOptions, RemoteModelOptions>>(),
            provider.GetRequiredService<ILogger<ModelRunnerProvider>>()));

        services.AddSingleton<SelectSeriesActivity>();
        services.AddSingleton<PreprocessChunkActivity>();
        services.AddSingleton<InferChunkActivity>();
        services.AddSingleton<AggregateExamActivity>();
        services.AddSingleton<StoreOutputsActivity>();
        services.AddSingleton(provider => new PublishAlertActivity(
            provider.GetRequiredService<ScoringStorage>(), new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
            provider.GetRequiredService<IOptions<AlertOptions>>(), provider.GetRequiredService<ILogger<PublishAlertActivity>>()));
        services.AddSingleton<DeleteWorkActivity>();
        return services;
    }

    private static void AddStorageClients(IServiceCollection services, IConfiguration configuration)
    {
        string? connectionString = configuration[StorageConnection];
        if (!string.IsNullOrEmpty(connectionString))
        {
            services.AddSingleton(_ => new BlobServiceClient(connectionString));
            services.AddSingleton(_ => new QueueServiceClient(connectionString));
            return;
        }

        IConfigurationSection section = configuration.GetSection(StorageConnection);
        services.AddSingleton(provider => new BlobServiceClient(
            RequireUri(section, "blobServiceUri"), provider.GetRequiredService<TokenCredential>()));
        services.AddSingleton(provider => new QueueServiceClient(
            RequireUri(section, "queueServiceUri"), provider.GetRequiredService<TokenCredential>()));
    }

    private static Uri RequireUri(IConfigurationSection section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InvalidOperationException(
                $"App setting {StorageConnection}__{key} is missing or not an absolute URL, and {StorageConnection} has no connection string; set one of them.");
}
