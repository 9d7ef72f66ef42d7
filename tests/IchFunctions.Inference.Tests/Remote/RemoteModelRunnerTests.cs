using System.Net;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Inference.Remote;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Inference.Tests.Service;

namespace IchFunctions.Inference.Tests.Remote;

/// <summary>The remote engine against the inference service on 127.0.0.1, compared with the in-process engine.</summary>
public sealed class RemoteModelRunnerTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private RemoteModelOptions Options => new RemoteModelOptions { BaseAddress = service.BaseAddress, ModelName = Tensors.ModelName }
        .WithSharedKey(ServiceFixture.SharedKey);

    [Fact]
    public async Task Connect_ReadsContractAndMaxBatchSize()
    {
        using RemoteModelRunner runner = await RemoteModelRunner.ConnectAsync(Options, null, Token);

        Assert.Equal(Tensors.ModelName, runner.Contract.ModelName);
        Assert.Equal(Tensors.ModelVersion, runner.Contract.ModelVersion);
        Assert.Equal(3, runner.Contract.Input.ContextSlices);
        Assert.Contains("up to 16 slices per request", runner.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeriesInference_RemoteEqualsInProcess()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions
        {
            Seed = 11, Rows = 68, Columns = 76, PixelSpacingMm = 3, SliceCount = 20, SliceThicknessMm = 7,
        });
        using OnnxModelRunner local = OnnxModelRunner.Load(ServiceFixture.ModelPath);

        // Batches of 20 slices padded to 72x80 go out as requests of 8, which stay under the test server's body limit.
        using RemoteModelRunner remote = await RemoteModelRunner.ConnectAsync(Options with { MaxBatchSize = 8 }, null, Token);

        SeriesOutputs expected = await new SeriesInference(local, batchSize: 20).RunAsync(exam.Hu, 20, 68, 76, null, Token);
        SeriesOutputs actual = await new SeriesInference(remote, batchSize: 20).RunAsync(exam.Hu, 20, 68, 76, null, Token);

        Assert.Equal(expected.SliceProbabilities, actual.SliceProbabilities);
        Assert.Equal(expected.PixelProbabilities, actual.PixelProbabilities);
    }

    [Fact]
    public async Task TransientFailures_RetriedWithBackoff()
    {
        var retries = new List<RetryAttempt>();
        using var handler = new FailingFirstHandler(failures: 2, HttpStatusCode.ServiceUnavailable) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        RemoteModelOptions options = Options with { InitialBackoff = TimeSpan.FromMilliseconds(10), OnRetry = retries.Add };

        using RemoteModelRunner runner = await RemoteModelRunner.ConnectAsync(options, http, Token);

        Assert.Equal(2, retries.Count);
        Assert.All(retries, retry => Assert.StartsWith("HTTP 503", retry.Reason, StringComparison.Ordinal));
        Assert.True(retries[1].Delay > retries[0].Delay, "The second retry waits longer than the first.");
        Assert.Equal(Tensors.ModelName, runner.Contract.ModelName);
    }

    [Fact]
    public async Task TooManyFailures_ThrowWithLastError()
    {
        using var handler = new FailingFirstHandler(failures: 10, HttpStatusCode.BadGateway) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        RemoteModelOptions options = Options with { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxRetries = 2 };

        InferenceException error = await Assert.ThrowsAsync<InferenceException>(() => RemoteModelRunner.ConnectAsync(options, http, Token));

        Assert.Contains("failed after 3 attempts; last error: HTTP 502", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_ThrowsServerMessageWithoutRetry()
    {
        var retries = new List<RetryAttempt>();
        RemoteModelOptions options = Options with { ModelName = "no-such-model", OnRetry = retries.Add };

        InferenceException error = await Assert.ThrowsAsync<InferenceException>(() => RemoteModelRunner.ConnectAsync(options, null, Token));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model 'no-such-model' is not served here", error.Message, StringComparison.Ordinal);
        Assert.Empty(retries);
    }

    [Fact]
    public async Task WrongKey_ThrowsUnauthorized()
    {
        RemoteModelOptions options = Options.WithSharedKey("a-wrong-key-that-is-long-enough-000000");

        InferenceException error = await Assert.ThrowsAsync<InferenceException>(() => RemoteModelRunner.ConnectAsync(options, null, Token));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenContract_SkipsConfiguration()
    {
        using OnnxModelRunner local = OnnxModelRunner.Load(ServiceFixture.ModelPath);
        using var handler = new FailingFirstHandler(failures: 0, HttpStatusCode.OK) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        RemoteModelOptions options = Options with { Contract = local.Contract, MaxBatchSize = 4 };

        using RemoteModelRunner runner = await RemoteModelRunner.ConnectAsync(options, http, Token);
        float[] input = Tensors.Input(6, 16, 16, seed: 21);
        var pixels = new float[6 * 16 * 16];
        var slices = new float[6];
        await runner.RunAsync(input, 6, 16, 16, pixels, slices, Token);

        Assert.Equal(["POST", "POST"], handler.Methods);
        (float[] expectedPixels, float[] expectedSlices) = await Tensors.ReferenceAsync(input, 6, 16, 16);
        Assert.Equal(expectedPixels, pixels);
        Assert.Equal(expectedSlices, slices);
    }

    [Fact]
    public async Task CallerCancellation_PassesThrough()
    {
        using RemoteModelRunner runner = await RemoteModelRunner.ConnectAsync(Options, null, Token);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        float[] input = Tensors.Input(1, 16, 16, seed: 22);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => runner.RunAsync(input, 1, 16, 16, new float[256], new float[1], cancelled.Token));
    }

    /// <summary>Answers the first requests with an error status, then passes requests to the real server; records methods.</summary>
    private sealed class FailingFirstHandler(int failures, HttpStatusCode status) : DelegatingHandler
    {
        private int _remaining = failures;

        public List<string> Methods { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Methods.Add(request.Method.Method);
            if (Interlocked.Decrement(ref _remaining) >= 0)
            {
                return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("{\"error\": \"simulated outage\"}") });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
