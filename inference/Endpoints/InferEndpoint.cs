using System.Buffers;
using System.Diagnostics;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Inference.Protocol;
using IchFunctions.Imaging.Models;
using IchFunctions.Inference.Batching;
using IchFunctions.Inference.Model;
using IchFunctions.Inference.Options;
using IchFunctions.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Endpoints;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c>: reads a JSON or binary request, checks it against the
/// model contract, queues it for the dynamic batcher, and returns each requested output as JSON or binary data, as the request asks.
/// </summary>
internal sealed class InferEndpoint(
    ModelHost model, DynamicBatcher batcher, IOptions<ServingOptions> serving, InferenceTelemetry telemetry, ILogger<InferEndpoint> logger)
{
    /// <summary>Retry-After value of a 429 response, in seconds; an estimate of how long a full queue takes to move.</summary>
    public const int RetryAfterSeconds = 1;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v2/models/{name}/infer", (HttpContext context, string name, InferEndpoint endpoint) => endpoint.HandleAsync(context, name, null));
        routes.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version, InferEndpoint endpoint) =>
            endpoint.HandleAsync(context, name, version));
    }

    public async Task HandleAsync(HttpContext context, string name, string? version)
    {
        long started = Stopwatch.GetTimestamp();
        bool binaryRequest = context.Request.Headers.ContainsKey(OpenInference.HeaderContentLength);
        try
        {
            if (MetadataEndpoints.FindError(model, name, version) is { } notFound)
            {
                throw new RequestRejectedException(notFound.StatusCode, notFound.Message);
            }

            InferenceMessage request = await ReadRequestAsync(context).ConfigureAwait(false);
            InferenceTensor input = CheckInput(request, model.Contract);
            IReadOnlyList<OutgoingTensor> outputs = await RunAsync(input, context.RequestAborted).ConfigureAwait(false);
            await WriteResponseAsync(context, request, outputs).ConfigureAwait(false);
        }
        catch (RequestRejectedException error)
        {
            if (error.StatusCode == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            telemetry.RecordRejected(error.StatusCode);
            await ProtocolErrors.WriteAsync(context, error.StatusCode, error.Message, logger).ConfigureAwait(false);
        }
        catch (InferenceException error)
        {
            // The batcher logged the failure with its exception once for the whole batch.
            await ProtocolErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, $"Inference failed: {error.Message}", logger).ConfigureAwait(false);
        }
        finally
        {
            telemetry.RecordRequest(Stopwatch.GetElapsedTime(started).TotalSeconds, binaryRequest ? "binary" : "json", context.Response.StatusCode);
        }
    }

    private async Task<InferenceMessage> ReadRequestAsync(HttpContext context)
    {
        long maxBytes = serving.Value.MaxRequestBytes;
        long? declared = context.Request.ContentLength;
        if (declared > maxBytes)
        {
            throw new RequestRejectedException(StatusCodes.Status413PayloadTooLarge,
                $"The request body has {declared} bytes, more than the limit of {maxBytes} bytes (setting Serving__MaxRequestBytes); send fewer slices per request.");
        }

        long? headerLength;
        try
        {
            headerLength = InferenceMessageReader.ParseHeaderLength(context.Request.Headers[OpenInference.HeaderContentLength]);
        }
        catch (InferenceProtocolException error)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, error.Message);
        }

        (byte[] body, int length) = await ReadBodyAsync(context.Request.Body, declared, maxBytes, context.RequestAborted).ConfigureAwait(false);
        try
        {
            return InferenceMessageReader.Read(body.AsSpan(0, length), headerLength, InferenceMessageReader.Inputs);
        }
        catch (InferenceProtocolException error)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, error.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>Reads the whole body into a pooled buffer, rejecting it as soon as it passes the limit.</summary>
    private static async Task<(byte[] Body, int Length)> ReadBodyAsync(Stream stream, long? declared, long maxBytes, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 64 * 1024, maxBytes) + 1);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw new RequestRejectedException(StatusCodes.Status413PayloadTooLarge,
                        $"The request body is more than the limit of {maxBytes} bytes (setting Serving__MaxRequestBytes); send fewer slices per request.");
                }
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new RequestRejectedException(StatusCodes.Status413PayloadTooLarge,
                $"The request body is more than the limit of {maxBytes} bytes (setting Serving__MaxRequestBytes); send fewer slices per request.");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private InferenceTensor CheckInput(InferenceMessage request, ModelContract contract)
    {
        string expected = contract.Input.Name;
        if (request.Tensors.Count != 1 || request.Tensors[0].Name != expected)
        {
            string names = string.Join(", ", request.Tensors.Select(tensor => $"'{tensor.Name}'"));
            throw new RequestRejectedException(StatusCodes.Status400BadRequest,
                $"The request has inputs [{names}]; model '{contract.ModelName}' takes exactly one input, '{expected}'.");
        }

        InferenceTensor input = request.Tensors[0];
        IReadOnlyList<long> shape = input.Shape;
        int context = contract.Input.ContextSlices;
        int multiple = contract.Input.SizeMultiple;
        string expectedShape = $"[N, {context}, H, W] with N from 1 to {batcher.MaxBatchSize} and H, W positive multiples of {multiple}";
        bool valid = shape.Count == 4 && shape[0] >= 1 && shape[1] == context
            && shape[2] > 0 && shape[3] > 0 && shape[2] % multiple == 0 && shape[3] % multiple == 0;
        if (!valid)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest,
                $"Input '{expected}' has shape {InferenceTensor.FormatShape(shape)}; model '{contract.ModelName}' expects {expectedShape}.");
        }

        if (shape[0] > batcher.MaxBatchSize)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest,
                $"Input '{expected}' has batch size {shape[0]}, more than the maximum batch size {batcher.MaxBatchSize}; split the request.");
        }

        foreach (RequestedOutput output in request.RequestedOutputs)
        {
            if (output.Name != contract.Outputs.Pixel && output.Name != contract.Outputs.Slice)
            {
                throw new RequestRejectedException(StatusCodes.Status400BadRequest,
                    $"Requested output '{output.Name}' does not exist; model '{contract.ModelName}' has outputs '{contract.Outputs.Pixel}' and '{contract.Outputs.Slice}'.");
            }
        }

        return input;
    }

    private async Task<IReadOnlyList<OutgoingTensor>> RunAsync(InferenceTensor input, CancellationToken cancellationToken)
    {
        int batch = (int)input.Shape[0];
        int height = (int)input.Shape[2];
        int width = (int)input.Shape[3];

        // The reader allocates every input tensor as its own array, so the work takes it without a copy.
        float[] data = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(input.Data, out ArraySegment<float> segment) && segment.Offset == 0
            && segment.Count == segment.Array!.Length ? segment.Array : input.Data.ToArray();
        var work = new InferenceWork(data, batch, height, width, cancellationToken);
        if (!batcher.TryEnqueue(work))
        {
            logger.QueueFull(serving.Value.MaxQueueLength);
            throw new RequestRejectedException(StatusCodes.Status429TooManyRequests,
                $"The batching queue is full ({serving.Value.MaxQueueLength} requests); retry after {RetryAfterSeconds} s.");
        }

        await work.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ModelContract contract = model.Contract;
        return
        [
            new(new InferenceTensor(contract.Outputs.Pixel, [batch, 1, height, width], work.PixelOutput), false),
            new(new InferenceTensor(contract.Outputs.Slice, [batch], work.SliceOutput), false),
        ];
    }

    private async Task WriteResponseAsync(HttpContext context, InferenceMessage request, IReadOnlyList<OutgoingTensor> outputs)
    {
        var selected = new List<OutgoingTensor>();
        foreach (OutgoingTensor output in outputs)
        {
            RequestedOutput? requested = request.RequestedOutputs.FirstOrDefault(item => item.Name == output.Tensor.Name);
            if (request.RequestedOutputs.Count == 0 || requested is not null)
            {
                selected.Add(output with { Binary = requested?.Binary ?? request.BinaryDataOutput });
            }
        }

        ModelContract contract = model.Contract;
        EncodedMessage response = InferenceMessageWriter.EncodeResponse(contract.ModelName, contract.ModelVersion, request.Id, selected);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = response.ContentLength;
        if (response.IsBinary)
        {
            context.Response.ContentType = OpenInference.BinaryContentType;
            context.Response.Headers[OpenInference.HeaderContentLength] = response.Header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            context.Response.ContentType = OpenInference.JsonContentType;
        }

        await response.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
