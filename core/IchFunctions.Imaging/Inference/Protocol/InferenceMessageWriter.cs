using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IchFunctions.Imaging.Inference.Protocol;

/// <summary>A tensor to send, as binary data after the JSON header or as a JSON 'data' array.</summary>
public readonly record struct OutgoingTensor(InferenceTensor Tensor, bool Binary);

/// <summary>
/// An encoded message: the JSON header (the whole body when no tensor is binary) and the binary tensor data
/// that follows it, in tensor order. <see cref="IsBinary"/> says whether the Inference-Header-Content-Length
/// header must be sent with the header's length.
/// </summary>
public sealed record EncodedMessage(byte[] Header, IReadOnlyList<ReadOnlyMemory<float>> BinaryParts)
{
    /// <summary>Bytes copied per write, so that no write needs pinned float memory.</summary>
    private const int ChunkBytes = 256 * 1024;

    public bool IsBinary => BinaryParts.Count > 0;

    public long ContentLength => Header.Length + BinaryParts.Sum(part => (long)part.Length * sizeof(float));

    /// <summary>Writes the header and the binary parts to <paramref name="destination"/>.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(Header, cancellationToken).ConfigureAwait(false);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (ReadOnlyMemory<float> part in BinaryParts)
            {
                // The protocol's binary data is little endian, as is every platform the service runs on.
                for (int start = 0; start < part.Length; start += ChunkBytes / sizeof(float))
                {
                    ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(part.Span.Slice(start, Math.Min(ChunkBytes / sizeof(float), part.Length - start)));
                    bytes.CopyTo(chunk);
                    await destination.WriteAsync(chunk.AsMemory(0, bytes.Length), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}

/// <summary>Encodes Open Inference Protocol requests and responses, as JSON or with the binary tensor extension.</summary>
public static class InferenceMessageWriter
{
    /// <summary>Encodes a request; each requested output names whether it should come back as binary data.</summary>
    public static EncodedMessage EncodeRequest(string? id, IReadOnlyList<OutgoingTensor> inputs, IReadOnlyList<RequestedOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        return Encode(inputs, InferenceMessageReader.Inputs, writer =>
        {
            WriteOptional(writer, "id", id);
        }, writer =>
        {
            writer.WriteStartArray(InferenceMessageReader.Outputs);
            foreach (RequestedOutput output in outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                if (output.Binary is { } binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteBoolean(OpenInference.BinaryDataParameter, binary);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Encodes a response with the model's name and version and the request's id.</summary>
    public static EncodedMessage EncodeResponse(string modelName, string modelVersion, string? id, IReadOnlyList<OutgoingTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Encode(outputs, InferenceMessageReader.Outputs, writer =>
        {
            writer.WriteString("model_name", modelName);
            writer.WriteString("model_version", modelVersion);
            WriteOptional(writer, "id", id);
        }, _ => { });
    }

    private static EncodedMessage Encode(IReadOnlyList<OutgoingTensor> tensors, string tensorProperty, Action<Utf8JsonWriter> writePrefix, Action<Utf8JsonWriter> writeSuffix)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var parts = new List<ReadOnlyMemory<float>>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writePrefix(writer);
            writer.WriteStartArray(tensorProperty);
            foreach (OutgoingTensor outgoing in tensors)
            {
                WriteTensor(writer, outgoing);
                if (outgoing.Binary)
                {
                    parts.Add(outgoing.Tensor.Data);
                }
            }

            writer.WriteEndArray();
            writeSuffix(writer);
            writer.WriteEndObject();
        }

        return new EncodedMessage(buffer.WrittenSpan.ToArray(), parts);
    }

    private static void WriteTensor(Utf8JsonWriter writer, OutgoingTensor outgoing)
    {
        InferenceTensor tensor = outgoing.Tensor;
        writer.WriteStartObject();
        writer.WriteString("name", tensor.Name);
        writer.WriteString("datatype", OpenInference.Fp32);
        writer.WriteStartArray("shape");
        foreach (long dimension in tensor.Shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
        if (outgoing.Binary)
        {
            writer.WriteStartObject("parameters");
            writer.WriteNumber(OpenInference.BinaryDataSizeParameter, (long)tensor.Data.Length * sizeof(float));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("data");
            foreach (float value in tensor.Data.Span)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string property, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(property, value);
        }
    }
}
