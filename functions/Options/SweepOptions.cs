using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>The scheduled retrospective sweep over the DICOM service change feed (app settings <c>Sweep__*</c>).</summary>
public sealed class SweepOptions : ISettingsSection
{
    public static string SectionName => "Sweep";

    /// <summary>
    /// NCRONTAB schedule with six fields (second minute hour day month day-of-week), in UTC unless the app
    /// sets WEBSITE_TIME_ZONE. The default runs at 02:00 every night.
    /// </summary>
    public string Schedule { get; set; } = "0 0 2 * * *";

    /// <summary>ScoreStudy orchestrations a sweep keeps running at once, so a backlog cannot flood the GPU.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 4;
}

internal sealed class SweepOptionsValidator : IValidateOptions<SweepOptions>
{
    public const int MaxConcurrentLimit = 64;

    public ValidateOptionsResult Validate(string? name, SweepOptions options)
    {
        var failures = new OptionsFailures(SweepOptions.SectionName);
        int fields = (options.Schedule ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 6)
        {
            failures.Add(nameof(options.Schedule), $"is '{options.Schedule}', which has {fields} fields; an NCRONTAB "
                + "schedule has six (second minute hour day month day-of-week), for example '0 0 2 * * *'.");
        }

        failures.RequireRange(nameof(options.MaxConcurrentOrchestrations), options.MaxConcurrentOrchestrations, 1, MaxConcurrentLimit);
        return failures.ToResult();
    }
}
