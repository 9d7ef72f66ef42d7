using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;

namespace IchFunctions.Cli.Commands;

/// <summary>Finds the model to use when --model is not given.</summary>
internal static class ModelLocator
{
    /// <summary>File name of the bundled demonstration model in models/.</summary>
    public const string BundledModelFileName = "patchfcn-demo.onnx";

    /// <summary>Environment variable that names a default model file.</summary>
    public const string ModelVariable = "ICH_MODEL";

    /// <summary>Returns --model, else ICH_MODEL, else the bundled model beside the executable.</summary>
    public static string Resolve(FileInfo? option)
    {
        if (option is not null)
        {
            return option.FullName;
        }

        string? configured = Environment.GetEnvironmentVariable(ModelVariable);
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "models", BundledModelFileName)
            : Path.GetFullPath(configured);
    }

    /// <summary>Loads and validates the model; prints the reason and returns null when it cannot be used.</summary>
    public static OnnxModelRunner? TryLoad(CliConsole console, string path, OnnxEngineOptions? options = null)
    {
        try
        {
            return OnnxModelRunner.Load(path, options);
        }
        catch (Exception error) when (error is FileNotFoundException or ModelContractException or InferenceException)
        {
            console.WriteError(error.Message);
            return null;
        }
    }
}
