namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>Settings of a written segmentation. The defaults suit the hemorrhage output.</summary>
public sealed record SegmentationOptions
{
    public static SegmentationOptions Default { get; } = new();

    /// <summary>BINARY (default) or FRACTIONAL; LABELMAP is read but not written.</summary>
    public SegmentationType Type { get; init; } = SegmentationType.Binary;

    /// <summary>Series Number of the new series.</summary>
    public int SeriesNumber { get; init; } = 9901;

    /// <summary>Segment Label (0062,0005), at most 64 characters.</summary>
    public string SegmentLabel { get; init; } = "Hemorrhage";

    /// <summary>Algorithm Family Code Sequence (0066,002F) of the segment's algorithm identification.</summary>
    public Common.CodedConcept AlgorithmFamily { get; init; } = Common.Codes.ArtificialIntelligence;

    /// <summary>Recommended display colour as sRGB, written as Recommended Display CIELab Value (D65 white point).</summary>
    public (byte Red, byte Green, byte Blue) DisplayColor { get; init; } = (255, 48, 32);

    /// <summary>Throws with the offending value when a setting cannot be written.</summary>
    public void Validate()
    {
        if (Type == SegmentationType.Labelmap)
        {
            throw new ArgumentException("LABELMAP segmentations are read but not written; write BINARY or FRACTIONAL.", nameof(Type));
        }

        if (SeriesNumber is < 0 or > 99999)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesNumber), SeriesNumber, "The series number must be between 0 and 99999.");
        }

        if (string.IsNullOrWhiteSpace(SegmentLabel) || SegmentLabel.Length > 64 || SegmentLabel.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The segment label '{SegmentLabel}' must be 1 to 64 characters without a backslash.", nameof(SegmentLabel));
        }
    }
}
