using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IchFunctions.Imaging.Models;

namespace IchFunctions.Inference.Tests.Service;

public sealed class ProtocolTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await service.Client.GetAsync(new Uri(path, UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;
    }

    [Fact]
    public async Task Health_OpenWithoutToken()
    {
        using HttpResponseMessage live = await service.Anonymous.GetAsync(new Uri("v2/health/live", UriKind.Relative), Token);
        using HttpResponseMessage ready = await service.Anonymous.GetAsync(new Uri("v2/health/ready", UriKind.Relative), Token);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task ServerMetadata_ListsBinaryExtension()
    {
        JsonElement metadata = await GetJsonAsync("v2");

        Assert.Equal("ichfunctions-inference", metadata.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("version").GetString()));
        Assert.Contains("binary_tensor_data", metadata.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ModelMetadata_DescribesContractTensors()
    {
        JsonElement metadata = await GetJsonAsync($"v2/models/{Tensors.ModelName}");

        Assert.Equal(Tensors.ModelName, metadata.GetProperty("name").GetString());
        Assert.Equal([Tensors.ModelVersion], metadata.GetProperty("versions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
        JsonElement input = metadata.GetProperty("inputs").EnumerateArray().Single();
        Assert.Equal("hu", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1, 3, -1, -1], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(
            ["hemorrhage_probability", "slice_probability"],
            metadata.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ModelVersionRoutes_ServeContractVersion()
    {
        JsonElement metadata = await GetJsonAsync($"v2/models/{Tensors.ModelName}/versions/{Tensors.ModelVersion}");
        using HttpResponseMessage ready = await service.Client.GetAsync(new Uri($"v2/models/{Tensors.ModelName}/versions/{Tensors.ModelVersion}/ready", UriKind.Relative), Token);
        using HttpResponseMessage otherVersion = await service.Client.GetAsync(new Uri($"v2/models/{Tensors.ModelName}/versions/7/ready", UriKind.Relative), Token);

        Assert.Equal(Tensors.ModelName, metadata.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherVersion.StatusCode);
        Assert.Contains("Version '7'", await Tensors.ErrorAsync(otherVersion), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelConfig_CarriesContractAndMaxBatchSize()
    {
        JsonElement config = await GetJsonAsync($"v2/models/{Tensors.ModelName}/config");

        Assert.Equal(16, config.GetProperty("max_batch_size").GetInt32());
        string json = config.GetProperty("parameters").GetProperty("ich.contract").GetProperty("string_value").GetString()!;
        ModelContract contract = ModelContract.Parse(json);
        Assert.Equal(Tensors.ModelName, contract.ModelName);
        Assert.Equal(3, contract.Input.ContextSlices);
    }

    [Fact]
    public async Task InferJson_EqualsInProcess()
    {
        float[] input = Tensors.Input(2, 32, 40, seed: 1);
        (float[] pixels, float[] slices) = await Tensors.ReferenceAsync(input, 2, 32, 40);

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.JsonRequest(input, [2, 3, 32, 40]), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        (float[] servedPixels, float[] servedSlices, JsonElement header) = await Tensors.ReadResponseAsync(response, 2, 32, 40);
        Assert.Equal(Tensors.ModelName, header.GetProperty("model_name").GetString());
        Assert.Equal(Tensors.ModelVersion, header.GetProperty("model_version").GetString());
        Assert.Equal("request-1", header.GetProperty("id").GetString());
        Assert.Equal(pixels, servedPixels);
        Assert.Equal(slices, servedSlices);
    }

    [Fact]
    public async Task InferJson_NestedDataAndOneOutput()
    {
        float[] input = Tensors.Input(1, 16, 24, seed: 2);
        (_, float[] slices) = await Tensors.ReferenceAsync(input, 1, 16, 24);
        JsonObject request = new()
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "hu",
                ["shape"] = new JsonArray(1, 3, 16, 24),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray([.. input.Chunk(24).Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))]),
            }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "slice_probability" }),
        };

        using HttpResponseMessage response = await service.Client.PostAsync(
            Tensors.Infer(), new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement output = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("outputs").EnumerateArray().Single();
        Assert.Equal("slice_probability", output.GetProperty("name").GetString());
        Assert.Equal(slices, output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task InferBinary_EqualsInProcess()
    {
        float[] input = Tensors.Input(3, 24, 32, seed: 3);
        (float[] pixels, float[] slices) = await Tensors.ReferenceAsync(input, 3, 24, 32);

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.BinaryRequest(input, [3, 3, 24, 32], binaryOutputs: true), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        (float[] servedPixels, float[] servedSlices, JsonElement header) = await Tensors.ReadResponseAsync(response, 3, 24, 32);
        Assert.All(header.GetProperty("outputs").EnumerateArray(), output => Assert.True(output.GetProperty("parameters").TryGetProperty("binary_data_size", out _)));
        Assert.Equal(pixels, servedPixels);
        Assert.Equal(slices, servedSlices);
    }

    [Fact]
    public async Task InferBinaryRequest_JsonOutputsWhenAsked()
    {
        float[] input = Tensors.Input(1, 32, 40, seed: 4);
        (float[] pixels, float[] slices) = await Tensors.ReferenceAsync(input, 1, 32, 40);

        using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), Tensors.BinaryRequest(input, [1, 3, 32, 40], binaryOutputs: false), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Inference-Header-Content-Length") || response.Content.Headers.Contains("Inference-Header-Content-Length"));
        (float[] servedPixels, float[] servedSlices, _) = await Tensors.ReadResponseAsync(response, 1, 32, 40);
        Assert.Equal(pixels, servedPixels);
        Assert.Equal(slices, servedSlices);
    }

    [Fact]
    public async Task InferVersionRoute_Serves()
    {
        float[] input = Tensors.Input(1, 8, 8, seed: 5);

        using HttpResponseMessage response = await service.Client.PostAsync(
            new Uri($"v2/models/{Tensors.ModelName}/versions/{Tensors.ModelVersion}/infer", UriKind.Relative), Tensors.JsonRequest(input, [1, 3, 8, 8]), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
