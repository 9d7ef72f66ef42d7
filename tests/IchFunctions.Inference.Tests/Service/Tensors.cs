using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IchFunctions.Imaging.Inference;

namespace IchFunctions.Inference.Tests.Service;

/// <summary>
/// Builds protocol requests by hand from the Open Inference Protocol's JSON layout (independent of the service's
/// codec), reads responses, and computes reference outputs with in-process ONNX Runtime.
/// </summary>
internal static class Tensors
{
    public const string ModelName = "patchfcn-w0.0625-s3";
    public const string ModelVersion = "0.0.0-golden";
    public const int Context = 3;

    /// <summary>HU stacks of air, fat, brain, blood and bone values, varied by seed.</summary>
    public static float[] Input(int batch, int height, int width, int seed)
    {
        float[] tissues = [-1000f, -100f, 35f, 70f, 900f];
        var random = new Random(seed);
        var values = new float[batch * Context * height * width];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = tissues[random.Next(tissues.Length)] + random.Next(-20, 21);
        }

        return values;
    }

    public static HttpContent JsonRequest(float[] input, long[] shape, string datatype = "FP32", JsonArray? outputs = null)
    {
        var body = new JsonObject
        {
            ["id"] = "request-1",
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "hu",
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
                ["datatype"] = datatype,
                ["data"] = new JsonArray([.. input.Select(v => (JsonNode)v)]),
            }),
        };
        if (outputs is not null)
        {
            body["outputs"] = outputs;
        }

        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    /// <summary>A binary request; <paramref name="dropBytes"/> cuts that many bytes off the end of the tensor data.</summary>
    public static HttpContent BinaryRequest(float[] input, long[] shape, bool binaryOutputs, int dropBytes = 0)
    {
        JsonObject Output(string name) => new() { ["name"] = name, ["parameters"] = new JsonObject { ["binary_data"] = binaryOutputs } };
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "hu",
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
                ["datatype"] = "FP32",
                ["parameters"] = new JsonObject { ["binary_data_size"] = input.Length * 4 },
            }),
            ["outputs"] = new JsonArray(Output("hemorrhage_probability"), Output("slice_probability")),
        };
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] data = MemoryMarshal.AsBytes(input.AsSpan()).ToArray();
        byte[] body = [.. headerBytes, .. data.AsSpan(0, data.Length - dropBytes)];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    public static Uri Infer(string model = ModelName) => new($"v2/models/{model}/infer", UriKind.Relative);

    /// <summary>Reads both outputs from a JSON or binary response, checking each tensor's datatype and shape.</summary>
    public static async Task<(float[] Pixels, float[] Slices, JsonElement Header)> ReadResponseAsync(HttpResponseMessage response, int batch, int height, int width)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        int headerLength = response.Headers.TryGetValues("Inference-Header-Content-Length", out IEnumerable<string>? values)
            || response.Content.Headers.TryGetValues("Inference-Header-Content-Length", out values)
            ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture)
            : body.Length;
        JsonElement header = JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement;
        int offset = headerLength;
        float[] pixels = [], slices = [];
        foreach (JsonElement output in header.GetProperty("outputs").EnumerateArray())
        {
            Assert.Equal("FP32", output.GetProperty("datatype").GetString());
            string name = output.GetProperty("name").GetString()!;
            long[] shape = [.. output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            float[] data;
            if (output.TryGetProperty("parameters", out JsonElement parameters) && parameters.TryGetProperty("binary_data_size", out JsonElement size))
            {
                data = MemoryMarshal.Cast<byte, float>(body.AsSpan(offset, size.GetInt32())).ToArray();
                offset += size.GetInt32();
            }
            else
            {
                data = [.. output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
            }

            if (name == "hemorrhage_probability")
            {
                Assert.Equal([batch, 1, height, width], shape);
                pixels = data;
            }
            else
            {
                Assert.Equal("slice_probability", name);
                Assert.Equal([batch], shape);
                slices = data;
            }
        }

        Assert.Equal(body.Length, offset);
        return (pixels, slices, header);
    }

    /// <summary>Runs the same model with in-process ONNX Runtime on the CPU.</summary>
    public static async Task<(float[] Pixels, float[] Slices)> ReferenceAsync(float[] input, int batch, int height, int width)
    {
        using OnnxModelRunner runner = OnnxModelRunner.Load(ServiceFixture.ModelPath);
        var pixels = new float[batch * height * width];
        var slices = new float[batch];
        await runner.RunAsync(input, batch, height, width, pixels, slices, TestContext.Current.CancellationToken);
        return (pixels, slices);
    }

    public static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
    }
}
