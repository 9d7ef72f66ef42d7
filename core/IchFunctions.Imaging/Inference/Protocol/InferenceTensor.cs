namespace IchFunctions.Imaging.Inference.Protocol;

/// <summary>A named FP32 tensor of an inference request or response, with its row-major data.</summary>
public sealed record InferenceTensor(string Name, IReadOnlyList<long> Shape, ReadOnlyMemory<float> Data)
{
    public static string FormatShape(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}

/// <summary>An output the request names, and whether it is wanted as binary data.</summary>
public sealed record RequestedOutput(string Name, bool? Binary);

/// <summary>A parsed request or response: its id, tensors, and for a request the outputs it asks for.</summary>
public sealed record InferenceMessage(
    string? Id,
    string? ModelName,
    string? ModelVersion,
    IReadOnlyList<InferenceTensor> Tensors,
    IReadOnlyList<RequestedOutput> RequestedOutputs,
    bool BinaryDataOutput);
