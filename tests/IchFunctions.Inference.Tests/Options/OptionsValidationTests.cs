using IchFunctions.Inference.Options;
using IchFunctions.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Tests.Options;

/// <summary>Binds inference/appsettings.json (and the Development overrides) with the service's options registration.</summary>
public sealed class OptionsValidationTests
{
    private static readonly string ProjectDirectory = Path.Combine(TestData.RepositoryRoot, "inference");

    private static IHost BuildHost(IReadOnlyDictionary<string, string?> overrides, bool development = true)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonFile(Path.Combine(ProjectDirectory, "appsettings.json"), optional: false);
        if (development)
        {
            builder.Configuration.AddJsonFile(Path.Combine(ProjectDirectory, "appsettings.Development.json"), optional: false);
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddInferenceOptions(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task DevelopmentSettings_StartHost()
    {
        using IHost host = BuildHost(new Dictionary<string, string?>());

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionProvider.Cpu, host.Services.GetRequiredService<IOptions<ModelOptions>>().Value.ExecutionProvider);
        Assert.Equal(16, host.Services.GetRequiredService<IOptions<ServingOptions>>().Value.MaxBatchSize);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ProductionDefaults_FailWithoutModelOrAuthentication()
    {
        using IHost host = BuildHost(new Dictionary<string, string?>(), development: false);

        // Two sections fail, so start-up reports both at once.
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Model__Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authentication__Audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltKey_FailsStartNamingTheKey()
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { ["Serving:MaxBatchSzie"] = "8" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("MaxBatchSzie", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Model:BlobUrl", "https://account.blob.core.windows.net/models/ich.onnx", "are both set")]
    [InlineData("Model:Path", "", "are both missing")]
    [InlineData("Serving:MaxBatchSize", "0", "Serving__MaxBatchSize (Serving:MaxBatchSize in appsettings.json) is 0")]
    [InlineData("Serving:MaxQueueDelayMilliseconds", "5000", "Serving__MaxQueueDelayMilliseconds")]
    [InlineData("Serving:MaxQueueLength", "0", "Serving__MaxQueueLength")]
    [InlineData("Serving:MaxRequestBytes", "10", "Serving__MaxRequestBytes")]
    [InlineData("Authentication:SharedKey", "short", "Authentication__SharedKey")]
    [InlineData("Authentication:Audience", "api://ich-inference", "(Authentication:TenantId in appsettings.json) is '', which is not a tenant ID")]
    public async Task InvalidValue_FailsStartNamingTheKey(string key, string value, string expectedMessage)
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortSharedKey_IsNotInTheMessage()
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { ["Authentication:SharedKey"] = "secret-value" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraIdWithoutSharedKey_StartsHost()
    {
        using IHost host = BuildHost(new Dictionary<string, string?>
        {
            ["Authentication:SharedKey"] = "",
            ["Authentication:Audience"] = "api://ich-inference",
            ["Authentication:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        });

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(host.Services.GetRequiredService<IOptions<AuthenticationOptions>>().Value.UsesEntraId);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
