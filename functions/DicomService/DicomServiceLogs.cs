using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// Log messages of the DICOM service client, event ids 3100 to 3199. They carry methods, paths of UIDs,
/// status codes and durations, never query strings, headers or bodies, which may hold patient data or tokens.
/// </summary>
internal static partial class DicomServiceLogs
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Acquired a token for scope {Scope}, expiring at {ExpiresOn:O}")]
    public static partial void TokenAcquired(ILogger logger, string scope, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The DICOM service rejected the token for scope {Scope} with 401; the next request acquires a new one")]
    public static partial void TokenRejected(ILogger logger, string scope);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Retrying {Method} {Path} (retry {Attempt} of {MaxAttempts}) in {DelayMilliseconds} ms after {Outcome}")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, int maxAttempts, long delayMilliseconds, string outcome);

}
