using Azure.Monitor.OpenTelemetry.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IchFunctions.Inference.Telemetry;

/// <summary>
/// OpenTelemetry metrics and traces of the service and of ASP.NET Core. They go to Application Insights when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (as in Azure), else to an OTLP collector when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, else nowhere.
/// </summary>
internal static class TelemetrySetup
{
    public static IServiceCollection AddInferenceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        OpenTelemetryBuilder builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ich-inference"))
            .WithMetrics(metrics => metrics.AddMeter(InferenceTelemetry.Name).AddAspNetCoreInstrumentation())
            .WithTracing(tracing => tracing.AddSource(InferenceTelemetry.Name).AddAspNetCoreInstrumentation());

        if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            builder.UseAzureMonitor();
        }
        else if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.UseOtlpExporter();
        }

        return services;
    }
}
