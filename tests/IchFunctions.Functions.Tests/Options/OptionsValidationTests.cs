using IchFunctions.Functions.Options;
using IchFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Tests.Options;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task SampleSettings_StartHost()
    {
        using IHost host = SampleSettings.BuildHost(SampleSettings.Load());

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("http://127.0.0.1:8042/dicom-web/"), host.Services.GetRequiredService<IOptions<DicomServiceOptions>>().Value.BaseUrl);
        Assert.False(host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value.UsesRemoteEndpoint);
        Assert.Equal(16, host.Services.GetRequiredService<IOptions<ScoringOptions>>().Value.ChunkSlices);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void SampleSettings_SetEveryOptionsProperty()
    {
        Dictionary<string, string?> sample = SampleSettings.Load();

        foreach (string key in OptionsKeys.All(OptionsRegistration.OptionsTypes))
        {
            Assert.True(sample.ContainsKey(key), $"{SampleSettings.FilePath} lacks the app setting {key}.");
        }
    }

    [Fact]
    public void SampleSettings_HaveNoUnknownKeys()
    {
        // A misspelt section name is not caught at start-up, because every unknown environment
        // variable is ignored there, so the sample is checked against the options here.
        HashSet<string> known = [.. OptionsKeys.All(OptionsRegistration.OptionsTypes), "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

        foreach (string key in SampleSettings.Load().Keys)
        {
            Assert.True(known.Contains(key), $"{SampleSettings.FilePath} sets {key}, which no options class binds.");
        }
    }

    [Fact]
    public async Task MisspeltKey_FailsStartNamingTheKey()
    {
        Dictionary<string, string?> settings = SampleSettings.Load();
        settings["Scoring__ChunkSlice"] = "8";

        using IHost host = SampleSettings.BuildHost(settings);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ChunkSlice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DicomService__BaseUrl", "", "DicomService__BaseUrl is missing")]
    [InlineData("DicomService__BaseUrl", "http://dicom.example.org/", "plain http is allowed only")]
    [InlineData("DicomService__BaseUrl", "https://ws-dicom.dicom.azurehealthcareapis.com/", "must end in /v2/")]
    [InlineData("DicomService__DataPartition", "bad partition!", "DicomService__DataPartition is 'bad partition!'")]
    [InlineData("DicomService__TokenScope", "https://dicom.healthcareapis.azure.com", "DicomService__TokenScope")]
    [InlineData("DicomService__ManagedIdentityClientId", "my-identity", "DicomService__ManagedIdentityClientId is 'my-identity', which is not a client ID")]
    [InlineData("DicomService__MaxRetryAttempts", "11", "DicomService__MaxRetryAttempts is 11, outside the allowed range 0 to 10")]
    [InlineData("DicomService__RetryBaseDelayMilliseconds", "0", "DicomService__RetryBaseDelayMilliseconds is 0")]
    [InlineData("DicomService__AttemptTimeoutSeconds", "0", "DicomService__AttemptTimeoutSeconds is 0")]
    [InlineData("DicomService__TotalTimeoutSeconds", "30", "DicomService__TotalTimeoutSeconds is 30, shorter than DicomService__AttemptTimeoutSeconds (100)")]
    [InlineData("DicomService__MaxConcurrentRetrievals", "0", "DicomService__MaxConcurrentRetrievals is 0, outside the allowed range 1 to 64")]
    [InlineData("Inference__ModelPath", "", "Inference__ModelPath is missing")]
    [InlineData("Storage__WorkContainer", "Work_Blobs", "Storage__WorkContainer is 'Work_Blobs'")]
    [InlineData("Storage__ResultsContainer", "incoming", "Storage__ResultsContainer names the same container 'incoming'")]
    [InlineData("Storage__AlertsQueue", "a--b", "Storage__AlertsQueue is 'a--b'")]
    [InlineData("Scoring__OperatingPoint", "", "Scoring__OperatingPoint is missing")]
    [InlineData("Scoring__ChunkSlices", "0", "Scoring__ChunkSlices is 0, outside the allowed range 1 to 256")]
    [InlineData("Scoring__QuietPeriodSeconds", "-1", "Scoring__QuietPeriodSeconds is -1")]
    [InlineData("Scoring__VoxelCacheMegabytes", "-1", "Scoring__VoxelCacheMegabytes is -1, outside the allowed range 0 to 16384")]
    [InlineData("Sweep__Schedule", "0 2 * * *", "Sweep__Schedule is '0 2 * * *', which has 5 fields")]
    [InlineData("Sweep__MaxConcurrentOrchestrations", "0", "Sweep__MaxConcurrentOrchestrations is 0")]
    [InlineData("Alerts__WebhookUrl", "ftp://alerts.example.org/", "Alerts__WebhookUrl is 'ftp://alerts.example.org/'")]
    public async Task InvalidValue_FailsStartNamingTheKey(string key, string value, string expectedMessage)
    {
        Dictionary<string, string?> settings = SampleSettings.Load();
        settings[key] = value;

        using IHost host = SampleSettings.BuildHost(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteEndpointWithoutModelName_FailsStart()
    {
        Dictionary<string, string?> settings = SampleSettings.Load();
        settings["Inference__Endpoint"] = "https://inference.internal.example.org/";

        using IHost host = SampleSettings.BuildHost(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Inference__ModelName is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonNumericValue_FailsStartNamingTheKey()
    {
        Dictionary<string, string?> settings = SampleSettings.Load();
        settings["Scoring__ChunkSlices"] = "sixteen";

        using IHost host = SampleSettings.BuildHost(settings);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Scoring:ChunkSlices", error.Message, StringComparison.Ordinal);
    }
}
