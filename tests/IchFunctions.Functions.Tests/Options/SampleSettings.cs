using System.Text.Json;
using IchFunctions.Functions.Options;
using IchFunctions.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IchFunctions.Functions.Tests.Options;

/// <summary>
/// The app settings of functions/local.settings.sample.json, and a host that binds them the way the
/// Functions host does: each <c>Values</c> entry is an environment variable, <c>__</c> separates sections.
/// </summary>
internal static class SampleSettings
{
    public static string FilePath { get; } = Path.Combine(TestData.RepositoryRoot, "functions", "local.settings.sample.json");

    public static Dictionary<string, string?> Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(FilePath));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
    }

    /// <summary>Builds a host with the app's options registration over the given app settings.</summary>
    public static IHost BuildHost(IReadOnlyDictionary<string, string?> appSettings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
            appSettings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), s.Value)));
        builder.Services.AddIchFunctionsOptions(builder.Configuration);
        return builder.Build();
    }
}
