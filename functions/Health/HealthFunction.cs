using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IchFunctions.Functions.Health;

/// <summary>
/// Liveness probe for the Functions app: reports that the worker runs and which build it is.
/// Anonymous on purpose, so platform probes need no key; it returns no configuration or data.
/// </summary>
public static class HealthFunction
{
    private static readonly string Version =
        typeof(HealthFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    [Function("Health")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new HealthReport("live", Version));
    }
}

/// <summary>Body of the liveness response.</summary>
public sealed record HealthReport(string Status, string Version);
