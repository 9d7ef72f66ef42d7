using System.Reflection;
using IchFunctions.Imaging.Models;
using IchFunctions.Inference.Batching;
using IchFunctions.Inference.Model;
using IchFunctions.Inference.Options;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Endpoints;

/// <summary>Health, server metadata, model metadata and model configuration routes of the Open Inference Protocol.</summary>
internal static class MetadataEndpoints
{
    public const string ServerName = "ichfunctions-inference";

    /// <summary>Protocol extensions the server implements, named as Triton names them.</summary>
    public static readonly string[] Extensions = ["binary_tensor_data", "model_configuration"];

    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        // Liveness: the process is up and serving HTTP. Readiness: the model is loaded and warmed up.
        routes.MapGet("/v2/health/live", () => Results.Ok());
        routes.MapGet("/v2/health/ready", (ModelHost model) => model.IsReady ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
    }

    public static void MapMetadata(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2", () => Results.Json(new
        {
            name = ServerName,
            version = typeof(MetadataEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            extensions = Extensions,
        }));

        foreach (string prefix in (string[])["/v2/models/{name}", "/v2/models/{name}/versions/{version}"])
        {
            routes.MapGet(prefix + "/ready", (string name, string? version, ModelHost model) =>
                Find(model, name, version) ?? Results.Ok());
            routes.MapGet(prefix, (string name, string? version, ModelHost model) =>
                Find(model, name, version) ?? Results.Json(Metadata(model.Contract)));
            routes.MapGet(prefix + "/config", (string name, string? version, ModelHost model, DynamicBatcher batcher, IOptions<ServingOptions> serving) =>
                Find(model, name, version) ?? Results.Json(Configuration(model.Contract, batcher.MaxBatchSize, serving.Value)));
        }
    }

    /// <summary>Returns the error result for a model that is not loaded or not this one, or null when it is.</summary>
    internal static IResult? Find(ModelHost model, string name, string? version) =>
        FindError(model, name, version) is { } error ? Error(error.StatusCode, error.Message) : null;

    /// <summary>Returns the status and message for a model that is not loaded or not this one, or null when it is.</summary>
    internal static (int StatusCode, string Message)? FindError(ModelHost model, string name, string? version)
    {
        if (!model.IsReady)
        {
            return (StatusCodes.Status503ServiceUnavailable, "The model is still loading; retry when GET /v2/health/ready returns 200.");
        }

        ModelContract contract = model.Contract;
        if (name != contract.ModelName)
        {
            return (StatusCodes.Status404NotFound, $"Model '{name}' is not served here; this server serves '{contract.ModelName}'.");
        }

        if (version is not null && version != contract.ModelVersion)
        {
            return (StatusCodes.Status404NotFound,
                $"Version '{version}' of model '{name}' is not served here; this server serves version '{contract.ModelVersion}'.");
        }

        return null;
    }

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new Dictionary<string, string> { ["error"] = message }, statusCode: statusCode);

    private static object Metadata(ModelContract contract) => new
    {
        name = contract.ModelName,
        versions = new[] { contract.ModelVersion },
        platform = "onnxruntime_onnx",
        inputs = new[] { Tensor(contract.Input.Name, -1, contract.Input.ContextSlices, -1, -1) },
        outputs = new[] { Tensor(contract.Outputs.Pixel, -1, 1, -1, -1), Tensor(contract.Outputs.Slice, -1) },
    };

    private static object Tensor(string name, params long[] shape) => new { name, datatype = "FP32", shape };

    /// <summary>
    /// The model configuration in Triton's JSON form, so clients read the maximum batch size and the model contract
    /// (parameter <c>ich.contract</c>) the same way from this service and from Triton.
    /// </summary>
    private static object Configuration(ModelContract contract, int maxBatchSize, ServingOptions serving) => new
    {
        name = contract.ModelName,
        platform = "onnxruntime_onnx",
        backend = "onnxruntime",
        max_batch_size = maxBatchSize,
        input = new[] { new { name = contract.Input.Name, data_type = "TYPE_FP32", dims = new long[] { contract.Input.ContextSlices, -1, -1 } } },
        output = new[]
        {
            new { name = contract.Outputs.Pixel, data_type = "TYPE_FP32", dims = new long[] { 1, -1, -1 } },
            new { name = contract.Outputs.Slice, data_type = "TYPE_FP32", dims = Array.Empty<long>() },
        },
        dynamic_batching = new { max_queue_delay_microseconds = serving.MaxQueueDelayMilliseconds * 1000L },
        parameters = new Dictionary<string, object>
        {
            [Imaging.Inference.Protocol.OpenInference.ContractParameter] = new { string_value = contract.SourceJson },
        },
    };
}
