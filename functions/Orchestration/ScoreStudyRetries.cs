using Microsoft.DurableTask;

namespace IchFunctions.Functions.Orchestration;

/// <summary>
/// Retry policies of the ScoreStudy activities. Activities return permanent failures as values, so every
/// exception that reaches these policies is treated as transient (connection refused, 5xx, 429, timeouts).
/// </summary>
internal static class ScoreStudyRetries
{
    /// <summary>DICOMweb reads and writes: 6 attempts over about 30 s (2, 4, 8, 8, 8 s apart) ride out a restart of the server.</summary>
    public static TaskOptions DicomService { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(8)));

    /// <summary>
    /// Inference: 4 attempts 2, 4 and 8 s apart. The remote engine also retries 429, 502, 503 and 504 within one
    /// attempt, so a server that is starting up rarely uses these.
    /// </summary>
    public static TaskOptions Inference { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(8)));

    /// <summary>Work and results blobs, the alerts queue and the webhook: 5 attempts 1, 2, 4 and 8 s apart.</summary>
    public static TaskOptions Storage { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(8)));
}
