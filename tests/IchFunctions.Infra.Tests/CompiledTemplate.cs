using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using IchFunctions.Testing;

namespace IchFunctions.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled to an ARM template by the Bicep CLI from NuGet, and the app settings its
/// Functions app and container app define.
/// </summary>
internal sealed class CompiledTemplate
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<CompiledTemplate> Main = new(() => Compile(Path.Combine(TestData.RepositoryRoot, "infra", "main.bicep")));

    private readonly JsonNode _root;

    private CompiledTemplate(JsonNode root) => _root = root;

    public static CompiledTemplate MainTemplate => Main.Value;

    /// <summary>App setting names of every Microsoft.Web/sites resource, one list per site.</summary>
    public IReadOnlyList<IReadOnlyList<string>> FunctionAppSettingNames =>
        Resources("Microsoft.Web/sites")
            .Select(site => (IReadOnlyList<string>)Names(site["properties"]?["siteConfig"]?["appSettings"]))
            .ToList();

    /// <summary>Environment variable names of every Microsoft.App/containerApps resource, one list per app.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ContainerAppEnvironmentNames =>
        Resources("Microsoft.App/containerApps")
            .Select(app => (IReadOnlyList<string>)(app["properties"]?["template"]?["containers"]?.AsArray() ?? [])
                .SelectMany(container => Names(container?["env"]))
                .ToList())
            .ToList();

    private static CompiledTemplate Compile(string bicepFile)
    {
        string bicep = typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value!;
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"Bicep CLI not found at {bicep}; restore this test project (dotnet restore) to download it.", bicep);
        }

        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("build");
        start.ArgumentList.Add(bicepFile);
        start.ArgumentList.Add("--stdout");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep build {bicepFile} did not finish within {BuildTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build {bicepFile} failed with exit code {process.ExitCode}: {errors.Result}");
        }

        return new CompiledTemplate(JsonNode.Parse(output.Result)!);
    }

    // Nested module deployments hold their own templates, so every object in the tree is visited.
    private IEnumerable<JsonObject> Resources(string type) =>
        Descendants(_root).Where(o => o["type"] is JsonValue value && value.TryGetValue(out string? t) && t == type && o["properties"] is not null);

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            yield return obj;
            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                foreach (JsonObject child in Descendants(property.Value))
                {
                    yield return child;
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                foreach (JsonObject child in Descendants(item))
                {
                    yield return child;
                }
            }
        }
    }

    private static List<string> Names(JsonNode? settings) =>
        (settings?.AsArray() ?? []).Select(setting => setting?["name"]?.GetValue<string>()
            ?? throw new InvalidDataException($"App setting without a literal name in the compiled template: {setting?.ToJsonString()}")).ToList();
}
