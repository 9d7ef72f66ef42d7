using System.Text.Json;
using System.Text.Json.Serialization;

namespace IchFunctions.Imaging.Models;

/// <summary>
/// The model contract (docs/model-contract.md): the JSON in the ONNX metadata property <c>ich.contract</c>
/// that gives inference code the model's input, tiling, score rule, pixel threshold and operating points.
/// </summary>
public sealed record ModelContract
{
    /// <summary>The ONNX metadata property that contains the contract.</summary>
    public const string MetadataProperty = "ich.contract";

    /// <summary>The major contract version this reader understands; any minor version of it is accepted.</summary>
    public const int SupportedMajorVersion = 1;

    public const string InputName = "hu";
    public const string PixelOutputName = "hemorrhage_probability";
    public const string SliceOutputName = "slice_probability";
    public const string MaxSliceProbabilityRule = "max_slice_probability";

    private static readonly JsonSerializerOptions SerializerOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required string ContractVersion { get; init; }

    public required string ModelName { get; init; }

    public required string ModelVersion { get; init; }

    public required string IntendedUse { get; init; }

    public bool NotForClinicalUse { get; init; }

    public required ContractInput Input { get; init; }

    public required ContractOutputs Outputs { get; init; }

    /// <summary>Row and column spacing in mm the caller resamples to, or null to run at the native spacing.</summary>
    public IReadOnlyList<double>? PixelSpacingMm { get; init; }

    public required ContractTiling Tiling { get; init; }

    public required string ExamScoreRule { get; init; }

    /// <summary>A pixel is hemorrhage when its probability is at least this value.</summary>
    public double PixelThreshold { get; init; }

    public required IReadOnlyList<ContractOperatingPoint> OperatingPoints { get; init; }

    public ContractEvaluation? Evaluation { get; init; }

    /// <summary>
    /// The contract JSON exactly as the model stores it, including informational fields this reader does not
    /// bind; null for a contract built in code. Servers pass it on to remote clients unchanged.
    /// </summary>
    [JsonIgnore]
    public string? SourceJson { get; init; }

    /// <summary>Parses and validates contract JSON; throws <see cref="ModelContractException"/> naming the first invalid field.</summary>
    public static ModelContract Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelContract? contract;
        try
        {
            contract = JsonSerializer.Deserialize<ModelContract>(json, SerializerOptions);
        }
        catch (JsonException error)
        {
            throw new ModelContractException($"The {MetadataProperty} metadata is not valid contract JSON: {error.Message}", error);
        }

        if (contract is null)
        {
            throw new ModelContractException($"The {MetadataProperty} metadata is empty (JSON null).");
        }

        ModelContractValidation.Validate(contract);
        return contract with { SourceJson = json };
    }

    /// <summary>Returns the operating point with this name; throws listing the available names when there is none.</summary>
    public ContractOperatingPoint OperatingPoint(string name)
    {
        return OperatingPoints.FirstOrDefault(point => point.Name == name)
            ?? throw new ModelContractException(
                $"Operating point '{name}' is not in the model contract; available: {string.Join(", ", OperatingPoints.Select(p => p.Name))}.");
    }
}

/// <summary>The input tensor described by the contract.</summary>
public sealed record ContractInput(string Name, string Units, int ContextSlices, int SizeMultiple);

/// <summary>Names of the two output tensors.</summary>
public sealed record ContractOutputs(string Pixel, string Slice);

/// <summary>Whole-slice inference, or square patches of <see cref="PatchSize"/> pixels every <see cref="Stride"/> pixels.</summary>
public sealed record ContractTiling(string Mode, int? PatchSize = null, int? Stride = null)
{
    public const string WholeSlice = "whole_slice";
    public const string Patch = "patch";

    public bool IsPatch => Mode == Patch;
}

/// <summary>A named exam-score threshold and its measured performance, when measured.</summary>
public sealed record ContractOperatingPoint(
    string Name,
    double Threshold,
    double? Sensitivity = null,
    double? Specificity = null,
    IReadOnlyList<double>? SensitivityInterval = null,
    IReadOnlyList<double>? SpecificityInterval = null);

/// <summary>Where the operating points were measured.</summary>
public sealed record ContractEvaluation(string Dataset, int Exams, int PositiveExams, double? Confidence = null, int? BootstrapResamples = null);

/// <summary>A model contract that is missing, unparsable or breaks a documented rule.</summary>
public sealed class ModelContractException : Exception
{
    public ModelContractException(string message)
        : base(message)
    {
    }

    public ModelContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
