using Azure.Storage.Blobs;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers.Sweep.Backfill;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>Registers the scheduled sweep and the backfill. Needs the services of <see cref="ScoringServices.AddScoreStudyServices"/>.</summary>
public static class SweepServices
{
    public static IServiceCollection AddSweep(this IServiceCollection services, SweepLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(limits ?? new SweepLimits());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new SweepStore(
            provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredService<IOptions<StorageOptions>>(),
            provider.GetRequiredService<SweepLimits>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<SweepStore>>()));
        services.TryAddTransient<ChangeFeedSweep>();
        services.TryAddTransient<BackfillPass>();
        return services;
    }
}
