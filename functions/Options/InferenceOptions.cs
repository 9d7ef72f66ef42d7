using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>
/// Where slices are scored (app settings <c>Inference__*</c>): a remote Open Inference Protocol (KServe v2)
/// server such as the project's GPU container app or NVIDIA Triton, or ONNX Runtime in-process when
/// <see cref="Endpoint"/> is empty.
/// </summary>
public sealed class InferenceOptions : ISettingsSection
{
    public static string SectionName => "Inference";

    /// <summary>KServe v2 base URL (the part before <c>/v2/models/...</c>); empty runs ONNX Runtime in-process.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Model name on the remote server, as in <c>/v2/models/{name}/infer</c>.</summary>
    public string? ModelName { get; set; }

    /// <summary>
    /// Scope of the Microsoft Entra tokens sent to the remote server, for example
    /// <c>api://ich-inference/.default</c>; empty sends no token.
    /// </summary>
    public string? TokenScope { get; set; }

    /// <summary>Path of the ONNX model file for in-process scoring; used only when <see cref="Endpoint"/> is empty.</summary>
    public string? ModelPath { get; set; }

    /// <summary>True when slices go to a remote server rather than in-process ONNX Runtime.</summary>
    public bool UsesRemoteEndpoint => OptionsFailures.IsSet(Endpoint);
}

internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new OptionsFailures(InferenceOptions.SectionName);
        if (options.UsesRemoteEndpoint)
        {
            failures.CheckUrl(nameof(options.Endpoint), options.Endpoint);
            failures.RequireText(nameof(options.ModelName), options.ModelName,
                $"set it to the model name the server at {failures.Key(nameof(options.Endpoint))} serves.");
            if (options.TokenScope is { Length: > 0 } scope && !scope.EndsWith("/.default", StringComparison.Ordinal))
            {
                failures.Add(nameof(options.TokenScope), $"is '{scope}', which is not a .default scope; "
                    + "use the inference service's application ID URI followed by /.default.");
            }
        }
        else
        {
            failures.RequireText(nameof(options.ModelPath), options.ModelPath,
                $"set it to an ONNX model file for in-process scoring, or set {failures.Key(nameof(options.Endpoint))} "
                + "to a KServe v2 inference server.");
        }

        return failures.ToResult();
    }
}
