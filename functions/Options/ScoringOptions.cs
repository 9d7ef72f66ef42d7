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

    /// <summary>
    /// Megabytes of decoded HU chunks each worker keeps in memory after writing them to the work container, so
    /// that inference on the same worker skips downloading them; 0 turns this off.
    /// </summary>
    public int VoxelCacheMegabytes { get; set; } = 256;
}

internal sealed class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
    public const int MaxChunkSlices = 256;
    public const int MaxQuietPeriodSeconds = 3600;
    public const int MaxVoxelCacheMegabytes = 16384;

    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        var failures = new OptionsFailures(ScoringOptions.SectionName);
        failures.RequireText(nameof(options.OperatingPoint), options.OperatingPoint,
            "set it to an operating point named in the model contract (ich inspect lists them).");
        failures.RequireRange(nameof(options.ChunkSlices), options.ChunkSlices, 1, MaxChunkSlices);
        failures.RequireRange(nameof(options.QuietPeriodSeconds), options.QuietPeriodSeconds, 0, MaxQuietPeriodSeconds);
        failures.RequireRange(nameof(options.VoxelCacheMegabytes), options.VoxelCacheMegabytes, 0, MaxVoxelCacheMegabytes);
        return failures.ToResult();
    }
}
