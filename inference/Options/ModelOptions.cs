using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Options;

/// <summary>ONNX Runtime execution provider the service asks for first.</summary>
public enum ExecutionProvider
{
    /// <summary>NVIDIA CUDA; the service falls back to the CPU, and logs it, where CUDA cannot load.</summary>
    Cuda,

    /// <summary>CPU only.</summary>
    Cpu,
}

/// <summary>The model the service loads at start and how it runs (settings <c>Model__*</c>).</summary>
public sealed class ModelOptions : ISettingsSection
{
    public static string SectionName => "Model";

    /// <summary>Local path of the ONNX model file; set this or <see cref="BlobUrl"/>, not both.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// URL of the ONNX model blob, read with the service's managed identity (Storage Blob Data Reader);
    /// set this or <see cref="Path"/>, not both.
    /// </summary>
    public Uri? BlobUrl { get; set; }

    /// <summary>Preferred execution provider.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cuda;

    /// <summary>Runs the model in half precision (FP16) where the provider supports it.</summary>
    public bool UseFp16 { get; set; }
}

internal sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var failures = new OptionsFailures(ModelOptions.SectionName);
        bool hasPath = !string.IsNullOrWhiteSpace(options.Path);
        bool hasBlobUrl = OptionsFailures.IsSet(options.BlobUrl);
        if (hasPath == hasBlobUrl)
        {
            failures.Add(nameof(options.Path), hasPath
                ? $"and {failures.Key(nameof(options.BlobUrl))} are both set: set only one of them."
                : $"and {failures.Key(nameof(options.BlobUrl))} are both missing: set the ONNX model file path or its blob URL.");
        }

        failures.CheckUrl(nameof(options.BlobUrl), options.BlobUrl);
        if (!Enum.IsDefined(options.ExecutionProvider))
        {
            failures.Add(nameof(options.ExecutionProvider), $"is {(int)options.ExecutionProvider}; use Cuda or Cpu.");
        }

        return failures.ToResult();
    }
}
