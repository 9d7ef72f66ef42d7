using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Inference.Remote;

/// <summary>A retry the remote engine is about to make: which attempt failed, why, and how long it waits.</summary>
public readonly record struct RetryAttempt(int Attempt, string Reason, TimeSpan Delay);

/// <summary>Settings of the remote engine, a client of an Open Inference Protocol (KServe v2 REST) server.</summary>
public sealed record RemoteModelOptions
{
    /// <summary>Server base address, for example <c>http://127.0.0.1:8000/</c>; the client appends <c>v2/...</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>Model name on the server; the project's service serves the contract's model name.</summary>
    public required string ModelName { get; init; }

    /// <summary>Model version, or null for the server's default version.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>
    /// The model contract, when the caller has it (for example from the ONNX file the server loaded). Null reads it
    /// from the model configuration's <c>ich.contract</c> parameter, which the project's service always sends and
    /// a Triton config.pbtxt can carry.
    /// </summary>
    public ModelContract? Contract { get; init; }

    /// <summary>Slices per request; null takes the model configuration's max_batch_size (or 8 when the server has none).</summary>
    public int? MaxBatchSize { get; init; }

    /// <summary>Time limit of one attempt, connection and response included.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after a transient failure (connection error, timeout, 429, 502, 503 or 504).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Wait before the first retry; each further retry doubles it, with up to 25 % random jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between retries, also the cap on a server's Retry-After.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the bearer token for each request (an Entra ID access token, or the service's shared key), or null
    /// to send no Authorization header. Called before every attempt, so a token provider can refresh.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? BearerToken { get; init; }

    /// <summary>Called before each retry, so the caller can log it.</summary>
    public Action<RetryAttempt>? OnRetry { get; init; }

    /// <summary>Returns options that send a fixed shared key as the bearer token.</summary>
    public RemoteModelOptions WithSharedKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return this with { BearerToken = _ => ValueTask.FromResult<string?>(key) };
    }
}
