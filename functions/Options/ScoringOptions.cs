using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>How each study is scored (app settings <c>Scoring__*</c>).</summary>
public sealed class ScoringOptions : ISettingsSection
{
    public static string SectionName => "Scoring";

    /// <summary>Named operating point from the model contract that decides positive exams.</summary>
    public string? OperatingPoint { get; set; }

    /// <summary>Slices fetched, decoded and scored per activity.</summary>
    public int ChunkSlices { get; set; } = 16;

    /// <summary>
    /// Seconds without a new instance of a study before its series is selected, because the DICOM
    /// service raises one event per stored instance.
    /// </summary>
    public int QuietPeriodSeconds { get; set; } = 120;
}

internal sealed class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
    public const int MaxChunkSlices = 256;
    public const int MaxQuietPeriodSeconds = 3600;

    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        var failures = new OptionsFailures(ScoringOptions.SectionName);
        failures.RequireText(nameof(options.OperatingPoint), options.OperatingPoint,
            "set it to an operating point named in the model contract (ich inspect lists them).");
        failures.RequireRange(nameof(options.ChunkSlices), options.ChunkSlices, 1, MaxChunkSlices);
        failures.RequireRange(nameof(options.QuietPeriodSeconds), options.QuietPeriodSeconds, 0, MaxQuietPeriodSeconds);
        return failures.ToResult();
    }
}
