using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IchFunctions.Imaging.Inference.Protocol;

/// <summary>
/// Parses an Open Inference Protocol request or response body: a JSON document, or with the binary tensor
/// extension a JSON header of a given length followed by the tensors' raw little-endian data in tensor order.
/// Every malformed part raises <see cref="InferenceProtocolException"/> naming the tensor and the value.
/// </summary>
public static class InferenceMessageReader
{
    /// <summary>Property that lists the tensors of a request.</summary>
    public const string Inputs = "inputs";

    /// <summary>Property that lists the tensors of a response, and the requested outputs of a request.</summary>
    public const string Outputs = "outputs";

    /// <summary>
    /// Parses <paramref name="body"/>. <paramref name="headerLength"/> is the value of the
    /// Inference-Header-Content-Length header, or null for a JSON-only body. <paramref name="tensorProperty"/>
    /// is <see cref="Inputs"/> for a request and <see cref="Outputs"/> for a response.
    /// </summary>
    public static InferenceMessage Read(ReadOnlySpan<byte> body, long? headerLength, string tensorProperty)
    {
        ArgumentNullException.ThrowIfNull(tensorProperty);
        int jsonLength = body.Length;
        if (headerLength is { } length)
        {
            if (length <= 0 || length > body.Length)
            {
                throw new InferenceProtocolException(
                    $"{OpenInference.HeaderContentLength} is {length} but the body has {body.Length} bytes; "
                    + "the header length must be positive and at most the body length.");
            }

            jsonLength = (int)length;
        }

        ReadOnlySpan<byte> binary = body[jsonLength..];
        using JsonDocument document = ParseJson(body[..jsonLength]);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceProtocolException($"The JSON header is a {root.ValueKind}, expected an object with '{tensorProperty}'.");
        }

        bool isRequest = tensorProperty == Inputs;
        var tensors = new List<InferenceTensor>();
        int offset = 0;
        foreach (JsonElement tensor in RequiredArray(root, tensorProperty, "message"))
        {
            tensors.Add(ReadTensor(tensor, binary, ref offset));
        }

        if (offset != binary.Length)
        {
            throw new InferenceProtocolException(
                $"The body has {binary.Length - offset} bytes of binary data after the last tensor's data; "
                + $"each tensor's {OpenInference.BinaryDataSizeParameter} must add up to the binary part ({binary.Length} bytes).");
        }

        IReadOnlyList<RequestedOutput> requested = isRequest ? ReadRequestedOutputs(root) : [];
        bool binaryOutput = isRequest && ReadBoolParameter(root, OpenInference.BinaryDataOutputParameter, "request") == true;
        return new InferenceMessage(
            OptionalString(root, "id"), OptionalString(root, "model_name"), OptionalString(root, "model_version"), tensors, requested, binaryOutput);
    }

    /// <summary>Parses the value of an Inference-Header-Content-Length header; null when the header is absent.</summary>
    public static long? ParseHeaderLength(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
        {
            throw new InferenceProtocolException($"{OpenInference.HeaderContentLength} is '{value}', which is not a non-negative integer byte count.");
        }

        return length;
    }

    private static JsonDocument ParseJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException error)
        {
            throw new InferenceProtocolException($"The JSON header is not valid JSON: {error.Message}", error);
        }
    }

    private static InferenceTensor ReadTensor(JsonElement tensor, ReadOnlySpan<byte> binary, ref int offset)
    {
        string name = RequiredString(tensor, "name", "tensor");
        string datatype = RequiredString(tensor, "datatype", $"tensor '{name}'");
        List<long> shape = [];
        foreach (JsonElement dimension in RequiredArray(tensor, "shape", $"tensor '{name}'"))
        {
            if (!dimension.TryGetInt64(out long value))
            {
                throw new InferenceProtocolException($"Tensor '{name}' has shape entry {Excerpt(dimension)}, which is not an integer.");
            }

            shape.Add(value);
        }

        if (datatype != OpenInference.Fp32)
        {
            throw new InferenceProtocolException(
                $"Tensor '{name}' has datatype '{datatype}'; the model's tensors are {OpenInference.Fp32}, so send {OpenInference.Fp32}.");
        }

        long count = CountElements(name, shape);
        long? binarySize = ReadBinarySize(tensor, name);
        float[] data = binarySize is { } size
            ? ReadBinaryData(name, shape, count, size, binary, ref offset)
            : ReadJsonData(tensor, name, shape, count);
        return new InferenceTensor(name, shape, data);
    }

    private static long CountElements(string name, List<long> shape)
    {
        long maxElements = Array.MaxLength / sizeof(float);
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new InferenceProtocolException($"Tensor '{name}' has shape {InferenceTensor.FormatShape(shape)} with a negative dimension; every dimension must be 0 or more.");
            }

            if (dimension != 0 && count > maxElements / dimension)
            {
                throw new InferenceProtocolException($"Tensor '{name}' has shape {InferenceTensor.FormatShape(shape)}, more than the {maxElements} elements one tensor can hold.");
            }

            count *= dimension;
        }

        return count;
    }

    private static long? ReadBinarySize(JsonElement tensor, string name)
    {
        if (!tensor.TryGetProperty("parameters", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty(OpenInference.BinaryDataSizeParameter, out JsonElement size))
        {
            return null;
        }

        if (!size.TryGetInt64(out long value) || value < 0)
        {
            throw new InferenceProtocolException($"Tensor '{name}' has {OpenInference.BinaryDataSizeParameter} {Excerpt(size)}, which is not a non-negative integer.");
        }

        return value;
    }

    private static float[] ReadBinaryData(string name, List<long> shape, long count, long size, ReadOnlySpan<byte> binary, ref int offset)
    {
        long expected = count * sizeof(float);
        if (size != expected)
        {
            throw new InferenceProtocolException(
                $"Tensor '{name}' has {OpenInference.BinaryDataSizeParameter} {size}, but shape {InferenceTensor.FormatShape(shape)} of {OpenInference.Fp32} takes {expected} bytes.");
        }

        if (size > binary.Length - offset)
        {
            throw new InferenceProtocolException(
                $"Tensor '{name}' needs {size} bytes of binary data from offset {offset}, but the binary part has only {binary.Length - offset} bytes left; the body is truncated.");
        }

        var data = new float[count];
        ReadOnlySpan<byte> bytes = binary.Slice(offset, (int)size);
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        }
        else
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }

        offset += (int)size;
        return data;
    }

    private static float[] ReadJsonData(JsonElement tensor, string name, List<long> shape, long count)
    {
        if (!tensor.TryGetProperty("data", out JsonElement data))
        {
            throw new InferenceProtocolException(
                $"Tensor '{name}' has neither 'data' nor a {OpenInference.BinaryDataSizeParameter} parameter; send its values in one of them.");
        }

        long found = CountLeaves(data);
        if (found != count)
        {
            throw new InferenceProtocolException(
                $"Tensor '{name}' has {found} values in 'data', but shape {InferenceTensor.FormatShape(shape)} takes {count}.");
        }

        var values = new float[count];
        int index = 0;
        Flatten(data, name, values, ref index);
        return values;
    }

    /// <summary>Counts the numbers in a flat or nested JSON array, as the protocol allows both layouts.</summary>
    private static long CountLeaves(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return 1;
        }

        long count = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            count += CountLeaves(item);
        }

        return count;
    }

    private static void Flatten(JsonElement element, string name, float[] values, ref int index)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                Flatten(item, name, values, ref index);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetSingle(out float value))
        {
            throw new InferenceProtocolException($"Tensor '{name}' has {Excerpt(element)} at data index {index}, which is not an {OpenInference.Fp32} number.");
        }

        values[index++] = value;
    }

    private static List<RequestedOutput> ReadRequestedOutputs(JsonElement root)
    {
        var outputs = new List<RequestedOutput>();
        if (!root.TryGetProperty(Outputs, out JsonElement list))
        {
            return outputs;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException($"'{Outputs}' is a {list.ValueKind}, expected an array of requested outputs.");
        }

        foreach (JsonElement output in list.EnumerateArray())
        {
            string name = RequiredString(output, "name", "requested output");
            outputs.Add(new RequestedOutput(name, ReadBoolParameter(output, OpenInference.BinaryDataParameter, $"requested output '{name}'")));
        }

        return outputs;
    }

    private static bool? ReadBoolParameter(JsonElement owner, string parameter, string what)
    {
        if (!owner.TryGetProperty("parameters", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty(parameter, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InferenceProtocolException($"The {what} has parameter '{parameter}' {Excerpt(value)}, expected true or false."),
        };
    }

    /// <summary>Returns the JSON text of a value for an error message, cut to 40 characters so a message stays short.</summary>
    private static string Excerpt(JsonElement value)
    {
        string text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "...";
    }

    private static JsonElement.ArrayEnumerator RequiredArray(JsonElement owner, string property, string what)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(property, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException($"The {what} has no '{property}' array.");
        }

        return value.EnumerateArray();
    }

    private static string RequiredString(JsonElement owner, string property, string what)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(property, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InferenceProtocolException($"The {what} has no '{property}' string.");
        }

        return value.GetString()!;
    }

    private static string? OptionalString(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
