namespace IchFunctions.Imaging.Synthetic;

/// <summary>Header values of a written synthetic CT series. The defaults describe no real person.</summary>
public sealed record SyntheticSeriesOptions
{
    public static SyntheticSeriesOptions Default { get; } = new();

    public string PatientName { get; init; } = "SYNTHETIC^HEAD";

    /// <summary>Patient ID; null derives "SYNTH-" and the seed.</summary>
    public string? PatientId { get; init; }

    /// <summary>Study, series and content date and time written into every header.</summary>
    public DateTimeOffset AcquisitionTime { get; init; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public string StudyDescription { get; init; } = "CT HEAD WO CONTRAST SYNTHETIC";

    public string SeriesDescription { get; init; } = "AXIAL STD SYNTHETIC";

    public int SeriesNumber { get; init; } = 2;

    /// <summary>Whether to write the ground truth as a DICOM SEG beside the series as well.</summary>
    public bool WriteTruthSegmentation { get; init; } = true;
}
