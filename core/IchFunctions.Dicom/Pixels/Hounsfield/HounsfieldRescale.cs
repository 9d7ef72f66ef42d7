namespace IchFunctions.Dicom.Pixels.Hounsfield;

/// <summary>
/// The Modality LUT and padding attributes that turn stored CT values into Hounsfield units: Rescale Slope
/// (0028,1053), Rescale Intercept (0028,1052), Pixel Padding Value (0028,0120) and Pixel Padding Range Limit
/// (0028,0121).
/// </summary>
public sealed record HounsfieldRescale
{
    public HounsfieldRescale(double slope = 1, double intercept = 0, int? paddingValue = null, int? paddingRangeLimit = null)
    {
        if (!double.IsFinite(slope) || slope == 0)
        {
            throw new DicomPixelDataException($"Rescale Slope (0028,1053) is {slope}; it must be a finite, non-zero number.");
        }

        if (!double.IsFinite(intercept))
        {
            throw new DicomPixelDataException($"Rescale Intercept (0028,1052) is {intercept}; it must be a finite number.");
        }

        if (paddingRangeLimit is not null && paddingValue is null)
        {
            throw new DicomPixelDataException(
                $"Pixel Padding Range Limit (0028,0121) is {paddingRangeLimit} but Pixel Padding Value (0028,0120) is absent; the range needs both.");
        }

        Slope = slope;
        Intercept = intercept;
        PaddingValue = paddingValue;
        PaddingRangeLimit = paddingRangeLimit;
    }

    /// <summary>Rescale Slope; 1 when absent.</summary>
    public double Slope { get; }

    /// <summary>Rescale Intercept in HU; 0 when absent.</summary>
    public double Intercept { get; }

    /// <summary>Pixel Padding Value as a stored value (signed when Pixel Representation is 1), or null.</summary>
    public int? PaddingValue { get; }

    /// <summary>Pixel Padding Range Limit as a stored value, or null; with the padding value it bounds an inclusive range.</summary>
    public int? PaddingRangeLimit { get; }

    /// <summary>Lowest stored value treated as padding; greater than <see cref="PaddingHigh"/> when there is no padding.</summary>
    internal int PaddingLow => PaddingValue is { } value ? Math.Min(value, PaddingRangeLimit ?? value) : 1;

    /// <summary>Highest stored value treated as padding.</summary>
    internal int PaddingHigh => PaddingValue is { } value ? Math.Max(value, PaddingRangeLimit ?? value) : 0;

    /// <summary>Whether the rescale adds an integer and multiplies by one, so integer arithmetic is exact.</summary>
    internal bool IsIntegerShift => Slope == 1 && Intercept == Math.Floor(Intercept) && Math.Abs(Intercept) <= 1 << 20;
}
