using System.Net;

namespace IchFunctions.Inference.Tests.Service;

/// <summary>The service with a queue of one request and no batching, so concurrent requests overflow it.</summary>
public sealed class SmallQueueFixture : ServiceFixture
{
    protected override IEnumerable<string> Settings =>
        [.. base.Settings, "--Serving:MaxQueueLength=1", "--Serving:MaxBatchSize=1", "--Serving:MaxQueueDelayMilliseconds=0"];
}

public sealed class QueueLimitTests(SmallQueueFixture service) : IClassFixture<SmallQueueFixture>
{
    [Fact]
    public async Task FullQueue_Returns429WithRetryAfter()
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        float[] input = Tensors.Input(1, 256, 256, seed: 31);

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            service.Client.PostAsync(Tensors.Infer(), Tensors.BinaryRequest(input, [1, 3, 256, 256], binaryOutputs: true), token)));

        try
        {
            HttpResponseMessage rejected = Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).Take(1));
            Assert.Equal(TimeSpan.FromSeconds(1), rejected.Headers.RetryAfter?.Delta);
            Assert.Contains("The batching queue is full (1 requests)", await Tensors.ErrorAsync(rejected), StringComparison.Ordinal);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }

        using HttpResponseMessage after = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(Tensors.Input(1, 8, 8, 1), [1, 3, 8, 8]), token);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
