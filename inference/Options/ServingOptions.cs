using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Options;

/// <summary>Dynamic batching and request limits (settings <c>Serving__*</c>).</summary>
public sealed class ServingOptions : ISettingsSection
{
    public static string SectionName => "Serving";

    /// <summary>Most slices merged into one model run.</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Longest time a request waits for others to fill a batch, in milliseconds.</summary>
    public int MaxQueueDelayMilliseconds { get; set; } = 5;

    /// <summary>Most requests waiting for a batch; beyond it the service answers 429 with Retry-After.</summary>
    public int MaxQueueLength { get; set; } = 256;

    /// <summary>Largest accepted request body, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;
}

internal sealed class ServingOptionsValidator : IValidateOptions<ServingOptions>
{
    public const int MaxBatchSizeLimit = 512;
    public const int MaxQueueDelayLimitMilliseconds = 1000;
    public const int MaxQueueLengthLimit = 100_000;
    public const long MinRequestBytes = 1024;
    public const long MaxRequestBytesLimit = 1L << 30;

    public ValidateOptionsResult Validate(string? name, ServingOptions options)
    {
        var failures = new OptionsFailures(ServingOptions.SectionName);
        failures.RequireRange(nameof(options.MaxBatchSize), options.MaxBatchSize, 1, MaxBatchSizeLimit);
        failures.RequireRange(nameof(options.MaxQueueDelayMilliseconds), options.MaxQueueDelayMilliseconds, 0, MaxQueueDelayLimitMilliseconds);
        failures.RequireRange(nameof(options.MaxQueueLength), options.MaxQueueLength, 1, MaxQueueLengthLimit);
        if (options.MaxRequestBytes is < MinRequestBytes or > MaxRequestBytesLimit)
        {
            failures.Add(nameof(options.MaxRequestBytes), $"is {options.MaxRequestBytes}, outside the allowed range "
                + $"{MinRequestBytes} to {MaxRequestBytesLimit} bytes.");
        }

        return failures.ToResult();
    }
}
