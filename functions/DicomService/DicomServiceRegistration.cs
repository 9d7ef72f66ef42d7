using Azure.Core;
using Azure.Identity;
using IchFunctions.Functions.Options;
using IchFunctions.Imaging.DicomWeb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// Registers <see cref="DicomWebClient"/> as a typed HttpClient for the DICOM service in DicomServiceOptions.
/// Each request passes, outermost first: the timeout translation, the resilience pipeline (total timeout,
/// retries with exponential backoff and jitter that honour Retry-After, per-attempt timeout), and the bearer
/// token handler, so every attempt carries a current token.
/// </summary>
public static class DicomServiceRegistration
{
    /// <summary>Key of the <see cref="TokenCredential"/> and <see cref="TimeProvider"/> the client uses; tests register their own under it first.</summary>
    public const string ServiceKey = "DicomService";

    /// <summary>Name of the HttpClient behind <see cref="DicomWebClient"/>, for IHttpClientFactory.</summary>
    public const string HttpClientName = "DicomService";

    /// <summary>Name of the client's resilience pipeline, which appears in resilience telemetry.</summary>
    public const string PipelineName = "dicom-service";

    public static IServiceCollection AddDicomServiceClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton<TokenCredential>(ServiceKey, (provider, _) => CreateCredential(provider.GetRequiredService<IOptions<DicomServiceOptions>>().Value));
        services.TryAddKeyedSingleton(ServiceKey, TimeProvider.System);
        services.TryAddSingleton<DicomServiceTokenCache>();
        services.TryAddTransient<BearerTokenHandler>();
        services.TryAddTransient<TotalTimeoutHandler>();

        IHttpClientBuilder builder = services
            .AddHttpClient(HttpClientName)
            .AddTypedClient((http, provider) =>
            {
                DicomServiceOptions options = provider.GetRequiredService<IOptions<DicomServiceOptions>>().Value;
                return new DicomWebClient(http, new DicomWebEndpoint(options.BaseUrl!, options.DataPartition));
            })
            // The resilience pipeline enforces the time limits; HttpClient's own 100 s limit would cut retries short.
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler<TotalTimeoutHandler>();
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            DicomServiceOptions options = context.ServiceProvider.GetRequiredService<IOptions<DicomServiceOptions>>().Value;
            ILogger logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DicomServiceRegistration).FullName!);
            ConfigurePipeline(pipeline, options, logger);
        });
        builder.AddHttpMessageHandler<BearerTokenHandler>();
        return services;
    }

    private static TokenCredential CreateCredential(DicomServiceOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, DicomServiceOptions options, ILogger logger)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
        if (options.MaxRetryAttempts > 0)
        {
            // The default predicate retries 408, 429, 5xx, connection failures and attempt timeouts, and
            // ShouldRetryAfterHeader makes a Retry-After header set the delay.
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                ShouldRetryAfterHeader = true,
                OnRetry = arguments =>
                {
                    HttpRequestMessage? request = arguments.Outcome.Result?.RequestMessage;
                    string outcome = arguments.Outcome.Result is { } response
                        ? $"HTTP {(int)response.StatusCode}"
                        : arguments.Outcome.Exception?.GetType().Name ?? "an unknown failure";
                    DicomServiceLogs.Retrying(
                        logger, request?.Method.Method ?? "request", request?.RequestUri?.AbsolutePath ?? "(path unknown)",
                        arguments.AttemptNumber + 1, options.MaxRetryAttempts, (long)arguments.RetryDelay.TotalMilliseconds, outcome);
                    return default;
                },
            });
        }

        pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
    }
}
