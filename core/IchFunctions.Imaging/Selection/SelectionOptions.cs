namespace IchFunctions.Imaging.Selection;

/// <summary>What to do with a series whose header says contrast was given; the model is trained on noncontrast CT.</summary>
public enum ContrastPolicy
{
    /// <summary>Reject the series with the contrast agent named as the reason.</summary>
    Reject,

    /// <summary>Keep the series eligible and add a warning to the selection record.</summary>
    Warn,
}

/// <summary>Rules of series selection. The defaults suit routine noncontrast head CT.</summary>
public sealed record SelectionOptions
{
    /// <summary>Fewest slices a series needs to be scored as an exam.</summary>
    public int MinimumSlices { get; init; } = 8;

    /// <summary>Preferred slice thickness range in mm; series inside it rank before thinner or thicker ones.</summary>
    public double PreferredThicknessMinMm { get; init; } = 3;

    /// <summary>Upper end of the preferred slice thickness range in mm.</summary>
    public double PreferredThicknessMaxMm { get; init; } = 5;

    /// <summary>Largest angle in degrees between the slice normal and the patient's feet-head axis for an axial series (gantry tilt included).</summary>
    public double MaxAxialAngleDegrees { get; init; } = 35;

    /// <summary>Whether only ORIGINAL\PRIMARY images are scored, as the model was trained on them.</summary>
    public bool RequireOriginalPrimary { get; init; } = true;

    public ContrastPolicy Contrast { get; init; } = ContrastPolicy.Reject;

    /// <summary>Smallest and largest in-plane field of view in mm that fits a head, when no header names the body part.</summary>
    public (double Min, double Max) HeadFieldOfViewMm { get; init; } = (150, 320);

    public static SelectionOptions Default { get; } = new();
}
