namespace IchFunctions.Inference;

/// <summary>Every log message of the inference service, with fixed event ids. No message carries pixel data or secrets.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loading the model from {Source}")]
    public static partial void ModelLoading(this ILogger logger, string source);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Downloading the model blob {BlobPath} from {Host} with the managed identity")]
    public static partial void ModelDownloading(this ILogger logger, string host, string blobPath);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Execution provider {Requested} is not available, falling back to {Fallback}: {Reason}")]
    public static partial void ProviderFallback(this ILogger logger, string requested, string fallback, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Loaded model {ModelName} {ModelVersion} ({ContextSlices} context slices) on {Provider} in {ElapsedMilliseconds} ms")]
    public static partial void ModelLoaded(this ILogger logger, string modelName, string modelVersion, int contextSlices, string provider, long elapsedMilliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Warm-up inference at {Height}x{Width} took {ElapsedMilliseconds} ms; the service is ready")]
    public static partial void WarmUpCompleted(this ILogger logger, int height, int width, long elapsedMilliseconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "The model could not be loaded; the service stops")]
    public static partial void ModelLoadFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Ran a batch of {Slices} slices from {Requests} requests at {Height}x{Width} in {ElapsedMilliseconds} ms")]
    public static partial void BatchRan(this ILogger logger, int slices, int requests, int height, int width, double elapsedMilliseconds);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "A batch of {Slices} slices from {Requests} requests failed")]
    public static partial void BatchFailed(this ILogger logger, Exception error, int slices, int requests);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Rejected a request with status {StatusCode}: {Reason}")]
    public static partial void RequestRejected(this ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "The batching queue is full ({QueueLength} requests); answered 429")]
    public static partial void QueueFull(this ILogger logger, int queueLength);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Dropped {Requests} abandoned requests before they ran")]
    public static partial void RequestsAbandoned(this ILogger logger, int requests);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Half precision needs the CUDA provider; running FP32 on {Provider}")]
    public static partial void Fp16Unavailable(this ILogger logger, string provider);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Authentication: Entra ID tokens {EntraId} (audience {Audience}), shared key {SharedKey}")]
    public static partial void AuthenticationConfigured(this ILogger logger, string entraId, string audience, string sharedKey);
}
