using IchFunctions.Testing;
using FunctionsOptions = IchFunctions.Functions.Options.OptionsRegistration;
using InferenceOptions = IchFunctions.Inference.Options.OptionsRegistration;

namespace IchFunctions.Infra.Tests;

/// <summary>
/// Compares the app settings infra/ writes with the options sections each app binds, both ways, so that
/// a renamed property or setting fails here instead of at start-up in Azure.
/// </summary>
public sealed class AppSettingsCrossCheckTests
{
    /// <summary>Settings read by the Functions host and the Application Insights agent, not by options classes.</summary>
    private static readonly HashSet<string> FunctionsPlatformSettings =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>
    /// Functions options left unset in Azure: in-process scoring is for local runs, and Azure scores on the
    /// GPU service.
    /// </summary>
    private static readonly HashSet<string> FunctionsLocalOnlySettings = ["Inference__ModelPath"];

    /// <summary>Settings read by Azure.Identity (which user-assigned identity) and the telemetry exporter.</summary>
    private static readonly HashSet<string> InferencePlatformSettings = ["AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING"];

    /// <summary>
    /// Inference options left unset in Azure: the model comes from the models container (Model__BlobUrl),
    /// and callers authenticate with Entra ID tokens, never the local shared key.
    /// </summary>
    private static readonly HashSet<string> InferenceLocalOnlySettings = ["Model__Path", "Authentication__SharedKey"];

    [Fact]
    public void FunctionsAppSettings_AreBoundOrPlatform()
    {
        IReadOnlyList<string> settings = Assert.Single(CompiledTemplate.MainTemplate.FunctionAppSettingNames);
        HashSet<string> bound = [.. OptionsKeys.All(FunctionsOptions.OptionsTypes)];

        foreach (string name in settings)
        {
            Assert.True(bound.Contains(name) || FunctionsPlatformSettings.Contains(name),
                $"infra/ sets the Functions app setting {name}, which no options class in functions/Options binds.");
        }
    }

    [Fact]
    public void FunctionsOptions_AreSetByBicep()
    {
        HashSet<string> settings = [.. Assert.Single(CompiledTemplate.MainTemplate.FunctionAppSettingNames)];

        foreach (string key in OptionsKeys.All(FunctionsOptions.OptionsTypes).Except(FunctionsLocalOnlySettings))
        {
            Assert.True(settings.Contains(key), $"functions/Options binds {key}, but infra/modules/functions.bicep does not set it.");
        }
    }

    [Fact]
    public void InferenceEnvironment_IsBoundOrPlatform()
    {
        IReadOnlyList<string> settings = Assert.Single(CompiledTemplate.MainTemplate.ContainerAppEnvironmentNames);
        HashSet<string> bound = [.. OptionsKeys.All(InferenceOptions.OptionsTypes)];

        foreach (string name in settings)
        {
            Assert.True(bound.Contains(name) || InferencePlatformSettings.Contains(name),
                $"infra/ sets the inference environment variable {name}, which no options class in inference/Options binds.");
        }
    }

    [Fact]
    public void InferenceOptions_AreSetByBicep()
    {
        HashSet<string> settings = [.. Assert.Single(CompiledTemplate.MainTemplate.ContainerAppEnvironmentNames)];

        foreach (string key in OptionsKeys.All(InferenceOptions.OptionsTypes).Except(InferenceLocalOnlySettings))
        {
            Assert.True(settings.Contains(key), $"inference/Options binds {key}, but infra/modules/container-apps.bicep does not set it.");
        }
    }

    [Fact]
    public void LocalOnlySettings_AreBoundOptions()
    {
        HashSet<string> functions = [.. OptionsKeys.All(FunctionsOptions.OptionsTypes)];
        HashSet<string> inference = [.. OptionsKeys.All(InferenceOptions.OptionsTypes)];

        Assert.Subset(functions, FunctionsLocalOnlySettings);
        Assert.Subset(inference, InferenceLocalOnlySettings);
    }

    [Fact]
    public void AppSettingNames_AreUnique()
    {
        IReadOnlyList<string> functions = Assert.Single(CompiledTemplate.MainTemplate.FunctionAppSettingNames);
        IReadOnlyList<string> inference = Assert.Single(CompiledTemplate.MainTemplate.ContainerAppEnvironmentNames);

        Assert.Equal(functions.Count, functions.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(inference.Count, inference.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
