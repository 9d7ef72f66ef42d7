namespace IchFunctions.Imaging.Synthetic;

/// <summary>Parameters of a synthetic head CT exam. Every exam is fully determined by these values and its seed.</summary>
public sealed record SyntheticExamOptions
{
    /// <summary>Seed of every random choice: anatomy variation, gyral pattern and noise.</summary>
    public int Seed { get; init; }

    public int Rows { get; init; } = 512;

    public int Columns { get; init; } = 512;

    /// <summary>In-plane pixel spacing in mm (square pixels).</summary>
    public double PixelSpacingMm { get; init; } = 0.45;

    public int SliceCount { get; init; } = 28;

    /// <summary>Slice thickness and spacing along the normal in mm (contiguous slices).</summary>
    public double SliceThicknessMm { get; init; } = 5;

    /// <summary>Gantry tilt in degrees about the left-right axis; 0 for a plain axial series.</summary>
    public double TiltDegrees { get; init; }

    /// <summary>Standard deviation of the image noise in HU (about 3 to 6 HU for a soft-tissue kernel at 5 mm).</summary>
    public double NoiseSigmaHu { get; init; } = 4.5;

    /// <summary>Hemorrhages to simulate; empty for an exam without hemorrhage.</summary>
    public IReadOnlyList<LesionSpec> Lesions { get; init; } = [];

    /// <summary>Throws with the offending value when a parameter is outside its supported range.</summary>
    public void Validate()
    {
        if (Rows is < 64 or > 1024 || Columns is < 64 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(Rows), $"{Rows}x{Columns}", "Rows and columns must be between 64 and 1024.");
        }

        if (SliceCount is < 1 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(SliceCount), SliceCount, "The slice count must be between 1 and 2000.");
        }

        if (PixelSpacingMm is < 0.1 or > 5 || double.IsNaN(PixelSpacingMm))
        {
            throw new ArgumentOutOfRangeException(nameof(PixelSpacingMm), PixelSpacingMm, "The pixel spacing must be between 0.1 and 5 mm.");
        }

        if (SliceThicknessMm is < 0.2 or > 15 || double.IsNaN(SliceThicknessMm))
        {
            throw new ArgumentOutOfRangeException(nameof(SliceThicknessMm), SliceThicknessMm, "The slice thickness must be between 0.2 and 15 mm.");
        }

        if (TiltDegrees is < -30 or > 30 || double.IsNaN(TiltDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(TiltDegrees), TiltDegrees, "The gantry tilt must be between -30 and 30 degrees.");
        }

        if (NoiseSigmaHu is < 0 or > 50 || double.IsNaN(NoiseSigmaHu))
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseSigmaHu), NoiseSigmaHu, "The noise must be between 0 and 50 HU.");
        }

        foreach (LesionSpec lesion in Lesions)
        {
            lesion.Validate();
        }
    }
}
