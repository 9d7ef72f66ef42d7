using System.Reflection;
using System.Text.Json;
using IchFunctions.Functions.Triggers.Sweep;
using IchFunctions.Functions.Triggers.Sweep.Backfill;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Triggers.Sweep;

/// <summary>The sweep's entries in the functions.metadata file the Functions worker SDK generates at build time.</summary>
public sealed class SweepMetadataTests
{
    private static JsonElement[] Bindings(string function)
    {
        string configuration = typeof(SweepMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.Combine(TestData.RepositoryRoot, "functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build the Functions app first.");
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement entry = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == function);
        return [.. entry.GetProperty("bindings").EnumerateArray().Select(binding => binding.Clone())];
    }

    private static JsonElement Binding(JsonElement[] bindings, string type) => Assert.Single(bindings, b => b.GetProperty("type").GetString() == type);

    [Fact]
    public void Metadata_SweepTimerReadsScheduleSetting()
    {
        JsonElement[] bindings = Bindings(SweepFunction.Name);

        Assert.Equal("%Sweep:Schedule%", Binding(bindings, "timerTrigger").GetProperty("schedule").GetString());
        Assert.Equal("In", Binding(bindings, "durableClient").GetProperty("direction").GetString());
    }

    [Theory]
    [InlineData(BackfillFunctions.StartName, "post", "backfill")]
    [InlineData(BackfillFunctions.StatusName, "get", "backfill/{id}")]
    public void Metadata_BackfillEndpointsNeedAdminKey(string function, string method, string route)
    {
        JsonElement[] bindings = Bindings(function);
        JsonElement trigger = Binding(bindings, "httpTrigger");

        Assert.Equal("Admin", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Binding(bindings, "durableClient");
    }

    [Fact]
    public void Metadata_NoHttpRouteStartsWithAdmin()
    {
        // The Functions host keeps routes that start with "admin" for its own admin API and does not load
        // a function whose route starts with it.
        string configuration = typeof(SweepMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.Combine(TestData.RepositoryRoot, "functions", "bin", configuration, "net10.0", "functions.metadata");
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(path));
        string[] routes = [.. metadata.RootElement.EnumerateArray()
            .SelectMany(function => function.GetProperty("bindings").EnumerateArray())
            .Where(binding => binding.GetProperty("type").GetString() == "httpTrigger" && binding.TryGetProperty("route", out _))
            .Select(binding => binding.GetProperty("route").GetString()!)];

        Assert.NotEmpty(routes);
        Assert.DoesNotContain(routes, route => route.StartsWith("admin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Metadata_BackfillOrchestrationAndPassActivity()
    {
        Binding(Bindings(BackfillOrchestration.Name), "orchestrationTrigger");
        JsonElement[] pass = Bindings(BackfillOrchestration.PassActivity);
        Binding(pass, "activityTrigger");
        Binding(pass, "durableClient");
    }
}
