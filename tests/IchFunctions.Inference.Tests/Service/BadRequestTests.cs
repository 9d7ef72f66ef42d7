using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IchFunctions.Inference.Tests.Service;

/// <summary>Every bad request gets a 4xx with a message naming the problem, and the service keeps serving.</summary>
public sealed class BadRequestTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task AssertRejectedAsync(HttpResponseMessage response, HttpStatusCode status, string expectedMessage)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expectedMessage, await Tensors.ErrorAsync(response), StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        using HttpResponseMessage ready = await service.Anonymous.GetAsync(new Uri("v2/health/ready", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using HttpResponseMessage valid = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(Tensors.Input(1, 8, 8, 9), [1, 3, 8, 8]), Token);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task UnknownModel_Returns404()
    {
        using HttpResponseMessage response = await service.Client.PostAsync(
            Tensors.Infer("no-such-model"), Tensors.JsonRequest(Tensors.Input(1, 8, 8, 1), [1, 3, 8, 8]), Token);

        await AssertRejectedAsync(response, HttpStatusCode.NotFound, $"Model 'no-such-model' is not served here; this server serves '{Tensors.ModelName}'");
    }

    [Fact]
    public async Task WrongContextSlices_Returns400()
    {
        float[] input = new float[2 * 2 * 8 * 8];

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [2, 2, 8, 8]), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Input 'hu' has shape [2, 2, 8, 8]; model 'patchfcn-w0.0625-s3' expects [N, 3, H, W]");
    }

    [Fact]
    public async Task SizeNotMultipleOf8_Returns400()
    {
        float[] input = new float[3 * 10 * 8];

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [1, 3, 10, 8]), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "has shape [1, 3, 10, 8]");
    }

    [Fact]
    public async Task DataCountMismatch_Returns400()
    {
        float[] input = new float[3 * 8 * 8 - 1];

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [1, 3, 8, 8]), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Tensor 'hu' has 191 values in 'data', but shape [1, 3, 8, 8] takes 192");
    }

    [Fact]
    public async Task WrongDatatype_Returns400()
    {
        float[] input = new float[3 * 8 * 8];

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [1, 3, 8, 8], "INT16"), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Tensor 'hu' has datatype 'INT16'");
    }

    [Fact]
    public async Task WrongInputName_Returns400()
    {
        string body = """{"inputs": [{"name": "image", "shape": [1, 3, 8, 8], "datatype": "FP32", "data": []}]}""";

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), new StringContent(body, Encoding.UTF8, "application/json"), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Tensor 'image' has 0 values");
    }

    [Fact]
    public async Task UnknownOutput_Returns400()
    {
        float[] input = new float[3 * 8 * 8];
        var outputs = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "mask" });

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [1, 3, 8, 8], outputs: outputs), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Requested output 'mask' does not exist");
    }

    [Fact]
    public async Task InvalidJson_Returns400()
    {
        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), new StringContent("{\"inputs\": [", Encoding.UTF8, "application/json"), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "The JSON header is not valid JSON");
    }

    [Fact]
    public async Task TruncatedBinaryBody_Returns400()
    {
        float[] input = Tensors.Input(1, 16, 16, seed: 7);

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.BinaryRequest(input, [1, 3, 16, 16], true, dropBytes: 100), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest,
            "Tensor 'hu' needs 3072 bytes of binary data from offset 0, but the binary part has only 2972 bytes left; the body is truncated.");
    }

    [Fact]
    public async Task HeaderLengthPastBody_Returns400()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"inputs\": []}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", "500");

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), content, Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "Inference-Header-Content-Length is 500 but the body has 14 bytes");
    }

    [Fact]
    public async Task OversizedBody_Returns413()
    {
        float[] input = new float[ServiceFixture.MaxRequestBytes / 4];

        using var request = new HttpRequestMessage(HttpMethod.Post, Tensors.Infer()) { Content = Tensors.BinaryRequest(input, [input.Length / 192, 3, 8, 8], true) };

        // A client that waits for 100-continue is told 413 before it sends the body.
        request.Headers.ExpectContinue = true;

        using HttpResponseMessage response = await service.Client.SendAsync(request, Token);

        await AssertRejectedAsync(response, HttpStatusCode.RequestEntityTooLarge, $"more than the limit of {ServiceFixture.MaxRequestBytes} bytes (setting Serving__MaxRequestBytes)");
    }

    [Fact]
    public async Task OversizedChunkedBody_Returns413()
    {
        byte[] body = new byte[ServiceFixture.MaxRequestBytes + 10];
        var content = new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), content, Token);

        await AssertRejectedAsync(response, HttpStatusCode.RequestEntityTooLarge, "The request body is more than the limit");
    }

    [Fact]
    public async Task BatchOverMaximum_Returns400()
    {
        float[] input = new float[17 * 3 * 8 * 8];

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.BinaryRequest(input, [17, 3, 8, 8], true), Token);

        await AssertRejectedAsync(response, HttpStatusCode.BadRequest, "batch size 17, more than the maximum batch size 16");
    }

    [Fact]
    public async Task MissingToken_Returns401()
    {
        using HttpResponseMessage response = await service.Anonymous.PostAsync(Tensors.Infer(), Tensors.JsonRequest(new float[192], [1, 3, 8, 8]), Token);

        await AssertRejectedAsync(response, HttpStatusCode.Unauthorized, "The request has no bearer token");
    }

    [Fact]
    public async Task InvalidToken_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Tensors.Infer()) { Content = Tensors.JsonRequest(new float[192], [1, 3, 8, 8]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");

        using HttpResponseMessage response = await service.Anonymous.SendAsync(request, Token);

        await AssertRejectedAsync(response, HttpStatusCode.Unauthorized, "The bearer token is not the configured shared key.");
    }

    [Fact]
    public async Task MetadataWithoutToken_Returns401()
    {
        using HttpResponseMessage response = await service.Anonymous.GetAsync(new Uri($"v2/models/{Tensors.ModelName}", UriKind.Relative), Token);

        await AssertRejectedAsync(response, HttpStatusCode.Unauthorized, "The request has no bearer token");
    }

    /// <summary>A stream without a length, so the client sends the body chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
