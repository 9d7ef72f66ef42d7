using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using IchFunctions.Imaging.Inference.Protocol;
using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Inference.Remote;

/// <summary>
/// Runs the model on an Open Inference Protocol (KServe v2 REST) server: the project's inference service or NVIDIA
/// Triton Inference Server. Inputs and outputs travel as binary tensor data. Batches larger than the server's
/// maximum batch size are split into several requests.
/// </summary>
public sealed class RemoteModelRunner : IModelRunner
{
    /// <summary>Slices per request when neither the options nor the server's configuration give a maximum.</summary>
    public const int DefaultMaxBatchSize = 8;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RetryingSender _sender;
    private readonly string _inferPath;
    private readonly int _maxBatchSize;

    private RemoteModelRunner(HttpClient http, bool ownsHttp, RetryingSender sender, RemoteModelOptions options, ModelContract contract, int maxBatchSize)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _sender = sender;
        _inferPath = ModelPath(options) + "/infer";
        _maxBatchSize = maxBatchSize;
        Contract = contract;
        Description = $"Open Inference Protocol server {options.BaseAddress}, model {options.ModelName}, up to {maxBatchSize} slices per request";
    }

    public ModelContract Contract { get; }

    public string Description { get; }

    /// <summary>
    /// Reads the model configuration from the server (the contract unless the options give it, and the maximum batch
    /// size) and returns a runner. Pass null for <paramref name="http"/> to let the runner create and own its client;
    /// a client passed in stays the caller's, and its BaseAddress is used where set.
    /// </summary>
    public static async Task<RemoteModelRunner> ConnectAsync(RemoteModelOptions options, HttpClient? http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool ownsHttp = http is null;
        http ??= new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (http.BaseAddress is null)
        {
            http.BaseAddress = options.BaseAddress;
        }

        var sender = new RetryingSender(http, options);
        // A server without Triton's model configuration extension is usable when the options give both values.
        (ModelContract? served, int? servedMaxBatchSize) = options.Contract is not null && options.MaxBatchSize is not null
            ? (null, null)
            : await ReadConfigurationAsync(http, sender, options, cancellationToken).ConfigureAwait(false);
        ModelContract contract = options.Contract ?? served
            ?? throw new InferenceException(
                $"Model '{options.ModelName}' on {options.BaseAddress} has no '{OpenInference.ContractParameter}' parameter in its configuration; "
                + "add the contract JSON to the model's config.pbtxt parameters, or pass the contract in the options.");
        int maxBatchSize = options.MaxBatchSize ?? (servedMaxBatchSize is > 0 ? servedMaxBatchSize.Value : DefaultMaxBatchSize);
        return new RemoteModelRunner(http, ownsHttp, sender, options, contract, maxBatchSize);
    }

    public async Task RunAsync(
        ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput, CancellationToken cancellationToken)
    {
        int context = Contract.Input.ContextSlices;
        int plane = height * width;
        if (input.Length != batch * context * plane || pixelOutput.Length != batch * plane || sliceOutput.Length != batch)
        {
            throw new ArgumentException($"Buffers do not match a batch of {batch} x {context} x {height} x {width}.");
        }

        for (int start = 0; start < batch; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, batch - start);
            await RunChunkAsync(
                input.Slice(start * context * plane, count * context * plane), count, height, width,
                pixelOutput.Slice(start * plane, count * plane), sliceOutput.Slice(start, count), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task RunChunkAsync(
        ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput, CancellationToken cancellationToken)
    {
        var tensor = new InferenceTensor(Contract.Input.Name, [batch, Contract.Input.ContextSlices, height, width], input);
        EncodedMessage request = InferenceMessageWriter.EncodeRequest(
            id: null, [new OutgoingTensor(tensor, Binary: true)],
            [new RequestedOutput(Contract.Outputs.Pixel, Binary: true), new RequestedOutput(Contract.Outputs.Slice, Binary: true)]);

        using HttpResponseMessage response = await _sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _inferPath) { Content = new EncodedMessageContent(request) },
            $"Inference on a batch of {batch} at {height}x{width}", cancellationToken).ConfigureAwait(false);

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        InferenceMessage message;
        try
        {
            long? headerLength = InferenceMessageReader.ParseHeaderLength(HeaderValue(response, OpenInference.HeaderContentLength));
            message = InferenceMessageReader.Read(body, headerLength, InferenceMessageReader.Outputs);
        }
        catch (InferenceProtocolException error)
        {
            throw new InferenceException($"The server's inference response is malformed: {error.Message}", error);
        }

        CopyOutput(message, Contract.Outputs.Pixel, [batch, 1, height, width], pixelOutput.Span);
        CopyOutput(message, Contract.Outputs.Slice, [batch], sliceOutput.Span);
    }

    private static void CopyOutput(InferenceMessage message, string name, long[] shape, Span<float> destination)
    {
        InferenceTensor? tensor = message.Tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new InferenceException($"The server's inference response has no output '{name}'.");

        // Triton returns a [N] output of a batching model as [N] or [N, 1]; both hold N values.
        if (tensor.Data.Length != destination.Length)
        {
            throw new InferenceException(
                $"The server returned output '{name}' with shape {InferenceTensor.FormatShape(tensor.Shape)}, expected {InferenceTensor.FormatShape(shape)}.");
        }

        tensor.Data.Span.CopyTo(destination);
    }

    private static async Task<(ModelContract? Contract, int? MaxBatchSize)> ReadConfigurationAsync(
        HttpClient http, RetryingSender sender, RemoteModelOptions options, CancellationToken cancellationToken)
    {
        string path = ModelPath(options) + "/config";
        using HttpResponseMessage response = await sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path), $"Reading the configuration of model '{options.ModelName}'", cancellationToken).ConfigureAwait(false);
        string json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            int? maxBatchSize = root.TryGetProperty("max_batch_size", out JsonElement max) && max.TryGetInt32(out int value) ? value : null;
            ModelContract? contract = null;
            if (root.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty(OpenInference.ContractParameter, out JsonElement parameter)
                && parameter.TryGetProperty("string_value", out JsonElement text) && text.ValueKind == JsonValueKind.String)
            {
                contract = ModelContract.Parse(text.GetString()!);
            }

            return (contract, maxBatchSize);
        }
        catch (JsonException error)
        {
            throw new InferenceException($"The configuration of model '{options.ModelName}' from {http.BaseAddress} is not valid JSON: {error.Message}", error);
        }
    }

    private static string ModelPath(RemoteModelOptions options)
    {
        string path = $"v2/models/{Uri.EscapeDataString(options.ModelName)}";
        return options.ModelVersion is null ? path : $"{path}/versions/{Uri.EscapeDataString(options.ModelVersion)}";
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <summary>HTTP content that streams an encoded message, with the binary extension's header when it has binary parts.</summary>
    private sealed class EncodedMessageContent : HttpContent
    {
        private readonly EncodedMessage _message;

        public EncodedMessageContent(EncodedMessage message)
        {
            _message = message;
            Headers.ContentType = new MediaTypeHeaderValue(message.IsBinary ? OpenInference.BinaryContentType : OpenInference.JsonContentType);
            if (message.IsBinary)
            {
                Headers.Add(OpenInference.HeaderContentLength, message.Header.Length.ToString(CultureInfo.InvariantCulture));
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            _message.WriteToAsync(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            _message.WriteToAsync(stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _message.ContentLength;
            return true;
        }
    }
}
