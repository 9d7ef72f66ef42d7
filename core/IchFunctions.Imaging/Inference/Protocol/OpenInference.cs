namespace IchFunctions.Imaging.Inference.Protocol;

/// <summary>
/// Names fixed by the Open Inference Protocol (KServe v2 REST) and its binary tensor data extension, as
/// NVIDIA Triton Inference Server and KServe implement them.
/// </summary>
public static class OpenInference
{
    /// <summary>
    /// HTTP header that marks a binary message: its value is the length in bytes of the JSON header at the
    /// start of the body, and the raw tensor data follows the header.
    /// </summary>
    public const string HeaderContentLength = "Inference-Header-Content-Length";

    /// <summary>Content type of a binary message; a message without the length header is plain JSON.</summary>
    public const string BinaryContentType = "application/octet-stream";

    public const string JsonContentType = "application/json";

    /// <summary>Tensor parameter: the tensor's data is in the binary part, this many bytes long.</summary>
    public const string BinaryDataSizeParameter = "binary_data_size";

    /// <summary>Requested-output parameter: return this output as binary data (true) or as JSON (false).</summary>
    public const string BinaryDataParameter = "binary_data";

    /// <summary>Request parameter: return every output as binary data unless an output says otherwise.</summary>
    public const string BinaryDataOutputParameter = "binary_data_output";

    /// <summary>The only tensor datatype of the model contract (IEEE 754 single precision, little endian).</summary>
    public const string Fp32 = "FP32";

    /// <summary>Triton model configuration parameter that carries the model contract JSON to remote clients.</summary>
    public const string ContractParameter = "ich.contract";
}

/// <summary>A message that breaks the Open Inference Protocol; the message text names the offending value.</summary>
public sealed class InferenceProtocolException : Exception
{
    public InferenceProtocolException(string message)
        : base(message)
    {
    }

    public InferenceProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
