using System.Reflection;
using System.Text.Json;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>The functions.metadata file the Functions worker SDK generates when the app builds.</summary>
public static class FunctionMetadataFile
{
    public static string Path
    {
        get
        {
            string configuration = typeof(FunctionMetadataFile).Assembly
                .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return System.IO.Path.Combine(TestData.RepositoryRoot, "functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }

    public static JsonDocument Read()
    {
        Assert.True(File.Exists(Path), $"functions.metadata not found at {Path}; build the Functions app first.");
        return JsonDocument.Parse(File.ReadAllText(Path));
    }

    /// <summary>The binding of the named function whose direction is In and whose type ends in Trigger.</summary>
    public static JsonElement Trigger(JsonDocument metadata, string functionName)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        JsonElement function = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == functionName);
        return Assert.Single(function.GetProperty("bindings").EnumerateArray(),
            b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
    }

    /// <summary>Types of the named function's bindings other than its trigger and the HTTP return value.</summary>
    public static string[] OtherBindingTypes(JsonDocument metadata, string functionName)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        JsonElement function = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == functionName);
        return function.GetProperty("bindings").EnumerateArray()
            .Select(b => b.GetProperty("type").GetString()!)
            .Where(type => !type.EndsWith("Trigger", StringComparison.Ordinal) && type != "http")
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
