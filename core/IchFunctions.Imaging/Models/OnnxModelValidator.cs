using Microsoft.ML.OnnxRuntime;

namespace IchFunctions.Imaging.Models;

/// <summary>
/// Checks an ONNX model against the model contract: the <c>ich.contract</c> metadata, the input and output
/// names, element types and ranks, and the fixed context-slice dimension.
/// </summary>
public static class OnnxModelValidator
{
    /// <summary>Returns the contract when the session satisfies it; throws <see cref="ModelContractException"/> listing every problem otherwise.</summary>
    public static ModelContract Validate(InferenceSession session, string modelDescription)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(ModelContract.MetadataProperty, out string? json))
        {
            throw new ModelContractException(
                $"{modelDescription} has no '{ModelContract.MetadataProperty}' metadata property, so it is not an IchFunctions model; export it with 'python3 -m ich_training export'.");
        }

        ModelContract contract;
        try
        {
            contract = ModelContract.Parse(json);
        }
        catch (ModelContractException error)
        {
            throw new ModelContractException($"{modelDescription}: {error.Message}", error);
        }

        var problems = new List<string>();
        CheckTensor(session.InputMetadata, ModelContract.InputName, "input", rank: 4, problems, out NodeMetadata? input);
        CheckTensor(session.OutputMetadata, ModelContract.PixelOutputName, "output", rank: 4, problems, out _);
        CheckTensor(session.OutputMetadata, ModelContract.SliceOutputName, "output", rank: 1, problems, out _);
        if (input is not null && input.Dimensions.Length == 4 && input.Dimensions[1] != contract.Input.ContextSlices)
        {
            problems.Add($"input '{ModelContract.InputName}' has {input.Dimensions[1]} context slices in the graph but the contract says {contract.Input.ContextSlices}");
        }

        if (problems.Count > 0)
        {
            throw new ModelContractException($"{modelDescription} does not match model contract {contract.ContractVersion}: {string.Join("; ", problems)}.");
        }

        return contract;
    }

    private static void CheckTensor(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, string kind, int rank, List<string> problems, out NodeMetadata? node)
    {
        if (!nodes.TryGetValue(name, out node))
        {
            problems.Add($"{kind} '{name}' is missing (the graph has {string.Join(", ", nodes.Keys.Select(k => $"'{k}'"))})");
            return;
        }

        if (node.ElementType != typeof(float))
        {
            problems.Add($"{kind} '{name}' has element type {node.ElementType.Name}, expected float32");
        }

        if (node.Dimensions.Length != rank)
        {
            problems.Add($"{kind} '{name}' has rank {node.Dimensions.Length}, expected {rank}");
        }
    }
}
