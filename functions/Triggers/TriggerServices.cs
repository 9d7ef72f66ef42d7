using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Http;
using IchFunctions.Functions.Triggers.Metadata;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Functions.Triggers.Storage;
using IchFunctions.Functions.Triggers.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IchFunctions.Functions.Triggers;

/// <summary>Registers the services the trigger functions use.</summary>
public static class TriggerServices
{
    /// <summary>
    /// Registers the trigger services. They use the storage clients and model runner of
    /// <see cref="ScoringServices.AddScoreStudyServices"/> and the DICOM service client of
    /// <see cref="DicomService.DicomServiceRegistration.AddDicomServiceClient"/>, which must be registered too.
    /// </summary>
    public static IServiceCollection AddIchTriggers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The lookup and the processor are transient because the typed DicomWebClient is; the cache is shared.
        services.TryAddSingleton<SeriesModalityCache>();
        services.TryAddTransient<IDicomMetadataLookup, DicomServiceMetadataLookup>();
        services.TryAddSingleton<IModelVersionSource, RunnerModelVersionSource>();
        services.TryAddSingleton<StudyScheduler>();
        services.TryAddSingleton<PoisonMessageWriter>();
        services.TryAddTransient<DicomEventProcessor>();
        services.TryAddSingleton<UploadRejectionWriter>();
        services.TryAddSingleton<UploadProcessor>();
        return services;
    }
}
