using System.Globalization;

namespace IchFunctions.Imaging.Models;

/// <summary>Checks a parsed contract against the rules of docs/model-contract.md, naming the first field that breaks one.</summary>
internal static class ModelContractValidation
{
    public static void Validate(ModelContract contract)
    {
        string[] version = (contract.ContractVersion ?? "").Split('.');
        Require(version.Length == 2 && int.TryParse(version[0], CultureInfo.InvariantCulture, out int major) && major == ModelContract.SupportedMajorVersion
                && int.TryParse(version[1], CultureInfo.InvariantCulture, out _),
            $"contract_version is '{contract.ContractVersion}'; this reader supports {ModelContract.SupportedMajorVersion}.x.");
        Require(!string.IsNullOrWhiteSpace(contract.ModelName), "model_name must be a non-empty string.");
        Require(!string.IsNullOrWhiteSpace(contract.ModelVersion), "model_version must be a non-empty string.");
        Require(!string.IsNullOrWhiteSpace(contract.IntendedUse), "intended_use must be a non-empty string.");

        ContractInput input = contract.Input ?? throw new ModelContractException("input is missing.");
        Require(input.Name == ModelContract.InputName && input.Units == "HU",
            $"input must be named '{ModelContract.InputName}' with units 'HU', got '{input.Name}' in '{input.Units}'.");
        Require(input.ContextSlices >= 1 && input.ContextSlices % 2 == 1,
            $"input.context_slices must be a positive odd integer, got {input.ContextSlices}.");
        Require(input.SizeMultiple >= 1, $"input.size_multiple must be positive, got {input.SizeMultiple}.");
        Require(contract.Outputs is { Pixel: ModelContract.PixelOutputName, Slice: ModelContract.SliceOutputName },
            $"outputs must be {{pixel: '{ModelContract.PixelOutputName}', slice: '{ModelContract.SliceOutputName}'}}.");

        Require(contract.PixelSpacingMm is null || (contract.PixelSpacingMm.Count == 2 && contract.PixelSpacingMm.All(s => s > 0 && double.IsFinite(s))),
            "pixel_spacing_mm must be null (native spacing) or two positive numbers.");
        ValidateTiling(contract.Tiling, input.SizeMultiple);

        Require(contract.ExamScoreRule == ModelContract.MaxSliceProbabilityRule,
            $"exam_score_rule '{contract.ExamScoreRule}' is not supported; expected '{ModelContract.MaxSliceProbabilityRule}'.");
        Require(contract.PixelThreshold is > 0 and < 1, $"pixel_threshold must be in (0, 1), got {contract.PixelThreshold}.");

        Require(contract.OperatingPoints is { Count: > 0 }, "operating_points must be a non-empty list.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ContractOperatingPoint point in contract.OperatingPoints)
        {
            Require(!string.IsNullOrWhiteSpace(point.Name), "every operating point needs a name.");
            Require(names.Add(point.Name), $"operating point names must be unique; '{point.Name}' appears twice.");
            Require(point.Threshold is >= 0 and <= 1, $"operating point '{point.Name}' has threshold {point.Threshold}, outside [0, 1].");
        }
    }

    private static void ValidateTiling(ContractTiling? tiling, int sizeMultiple)
    {
        Require(tiling is not null, "tiling is missing.");
        if (tiling!.Mode == ContractTiling.WholeSlice)
        {
            return;
        }

        Require(tiling.Mode == ContractTiling.Patch, $"tiling.mode must be 'whole_slice' or 'patch', got '{tiling.Mode}'.");
        Require(tiling.PatchSize is int size && size > 0 && size % sizeMultiple == 0,
            $"tiling.patch_size must be a positive multiple of {sizeMultiple}, got {tiling.PatchSize?.ToString(CultureInfo.InvariantCulture) ?? "null"}.");
        Require(tiling.Stride is int stride && stride > 0 && stride % sizeMultiple == 0 && stride <= tiling.PatchSize,
            $"tiling.stride must be a positive multiple of {sizeMultiple} no larger than patch_size, got {tiling.Stride?.ToString(CultureInfo.InvariantCulture) ?? "null"}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ModelContractException("Invalid model contract: " + message);
        }
    }
}
