using System.Globalization;
using System.Reflection;
using System.Text.Json;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers.Sweep;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests;

/// <summary>Reads the functions.metadata file the Functions worker SDK generates at build time.</summary>
public sealed class FunctionMetadataTests
{
    private static string MetadataPath
    {
        get
        {
            string configuration = typeof(FunctionMetadataTests).Assembly
                .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(TestData.RepositoryRoot, "functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }

    [Fact]
    public void Metadata_ListsHealthHttpTrigger()
    {
        Assert.True(File.Exists(MetadataPath), $"functions.metadata not found at {MetadataPath}; build the Functions app first.");
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(MetadataPath));

        JsonElement health = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == "Health");
        JsonElement trigger = Assert.Single(health.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("health", trigger.GetProperty("route").GetString());
    }

    [Fact]
    public void HostJson_IsCopiedBesideTheApp()
    {
        string hostJson = Path.Combine(Path.GetDirectoryName(MetadataPath)!, "host.json");

        Assert.True(File.Exists(hostJson), $"host.json not found at {hostJson}");
        Assert.Equal(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "host.json")), File.ReadAllText(hostJson));
    }

    [Fact]
    public void HostJson_TimeoutCoversSweepAndSlowestRequest()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "host.json")));
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);

        // A sweep starts no work after its budget, but a DICOM service request under way then runs to its own limit.
        TimeSpan needed = new SweepLimits().RunBudget + TimeSpan.FromSeconds(new DicomServiceOptions().TotalTimeoutSeconds);
        Assert.True(timeout >= needed, $"functionTimeout {timeout} is shorter than the sweep budget plus the DICOM service request limit ({needed}).");
    }
}
