using IchFunctions.Inference.Batching;
using IchFunctions.Inference.Endpoints;
using IchFunctions.Inference.Model;
using IchFunctions.Inference.Options;
using IchFunctions.Inference.Security;
using IchFunctions.Inference.Telemetry;

namespace IchFunctions.Inference;

/// <summary>Builds the inference service; Program runs it, and the tests host it on a free port of 127.0.0.1.</summary>
public static class ServiceApplication
{
    /// <summary>
    /// Builds the service from command-line arguments and configuration; <paramref name="configureServices"/> runs
    /// after the service's own registrations, so tests can replace one.
    /// </summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddInferenceOptions(builder.Configuration);

        var serving = new ServingOptions();
        builder.Configuration.GetSection(ServingOptions.SectionName).Bind(serving);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // The infer route checks the limit itself with a precise message; this is the backstop for every route.
            kestrel.Limits.MaxRequestBodySize = serving.MaxRequestBytes;
        });

        builder.Services.AddSingleton<ModelSource>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ModelHost>());
        builder.Services.AddSingleton<InferenceTelemetry>();
        builder.Services.AddSingleton<DynamicBatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DynamicBatcher>());
        builder.Services.AddSingleton<InferEndpoint>();
        builder.Services.AddInferenceAuthentication(builder.Configuration);
        builder.Services.AddInferenceTelemetry(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        RouteGroupBuilder health = app.MapGroup(string.Empty).AllowAnonymous();
        health.MapHealth();
        app.MapMetadata();
        InferEndpoint.Map(app);
        return app;
    }
}
