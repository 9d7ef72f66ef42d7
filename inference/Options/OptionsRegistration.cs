using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Options;

/// <summary>Binds and validates every options class of the inference service when it starts.</summary>
public static class OptionsRegistration
{
    /// <summary>Every options class the service binds; the infrastructure tests compare it with the Bicep settings.</summary>
    public static IReadOnlyList<Type> OptionsTypes { get; } =
    [
        typeof(ModelOptions),
        typeof(ServingOptions),
        typeof(AuthenticationOptions),
    ];

    /// <summary>
    /// Registers the options, bound so that an unknown key in a section (a misspelt setting) fails, and
    /// validated at start-up so that the service does not start with an invalid setting.
    /// </summary>
    public static IServiceCollection AddInferenceOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddSection<ModelOptions, ModelOptionsValidator>(configuration);
        services.AddSection<ServingOptions, ServingOptionsValidator>(configuration);
        services.AddSection<AuthenticationOptions, AuthenticationOptionsValidator>(configuration);
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
