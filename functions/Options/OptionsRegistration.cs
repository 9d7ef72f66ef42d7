using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>Binds and validates every options class of the Functions app when the host starts.</summary>
public static class OptionsRegistration
{
    /// <summary>Every options class the app binds; the infrastructure tests compare it with the Bicep app settings.</summary>
    public static IReadOnlyList<Type> OptionsTypes { get; } =
    [
        typeof(DicomServiceOptions),
        typeof(InferenceOptions),
        typeof(StorageOptions),
        typeof(ScoringOptions),
        typeof(SweepOptions),
        typeof(AlertOptions),
    ];

    /// <summary>
    /// Registers the options, bound so that an unknown key in a section (a misspelt setting) fails, and
    /// validated at start-up so that the host does not start with an invalid setting.
    /// </summary>
    public static IServiceCollection AddIchFunctionsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddSection<DicomServiceOptions, DicomServiceOptionsValidator>(configuration);
        services.AddSection<InferenceOptions, InferenceOptionsValidator>(configuration);
        services.AddSection<StorageOptions, StorageOptionsValidator>(configuration);
        services.AddSection<ScoringOptions, ScoringOptionsValidator>(configuration);
        services.AddSection<SweepOptions, SweepOptionsValidator>(configuration);
        services.AddSection<AlertOptions, AlertOptionsValidator>(configuration);
        return services;
    }

    private static void AddSection<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class, ISettingsSection
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(TOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
