namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>Segmentation Type (0062,0001).</summary>
public enum SegmentationType
{
    /// <summary>BINARY: one bit per pixel, packed without padding between frames.</summary>
    Binary,

    /// <summary>FRACTIONAL: 8 bits per pixel, 0 to Maximum Fractional Value (0062,000E).</summary>
    Fractional,

    /// <summary>LABELMAP (Label Map Segmentation Storage): each pixel holds the number of its segment, 0 for none.</summary>
    Labelmap,
}

/// <summary>Segmentation Fractional Type (0062,0010) of a FRACTIONAL segmentation.</summary>
public enum SegmentationFractionalType
{
    Probability,
    Occupancy,
}

/// <summary>Segment Algorithm Type (0062,0008).</summary>
public enum SegmentAlgorithmType
{
    Automatic,
    SemiAutomatic,
    Manual,
}

/// <summary>The DICOM code strings of the segmentation enumerations.</summary>
public static class SegmentationEnumText
{
    public static string ToDicom(this SegmentationType type) => type switch
    {
        SegmentationType.Binary => "BINARY",
        SegmentationType.Fractional => "FRACTIONAL",
        SegmentationType.Labelmap => "LABELMAP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown segmentation type."),
    };

    public static string ToDicom(this SegmentationFractionalType type) => type switch
    {
        SegmentationFractionalType.Probability => "PROBABILITY",
        SegmentationFractionalType.Occupancy => "OCCUPANCY",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown fractional type."),
    };

    public static string ToDicom(this SegmentAlgorithmType type) => type switch
    {
        SegmentAlgorithmType.Automatic => "AUTOMATIC",
        SegmentAlgorithmType.SemiAutomatic => "SEMIAUTOMATIC",
        SegmentAlgorithmType.Manual => "MANUAL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown algorithm type."),
    };

    /// <summary>Parses Segmentation Type; throws naming the value when it is not one of the three defined terms.</summary>
    public static SegmentationType ParseSegmentationType(string? text) => text switch
    {
        "BINARY" => SegmentationType.Binary,
        "FRACTIONAL" => SegmentationType.Fractional,
        "LABELMAP" => SegmentationType.Labelmap,
        _ => throw new InvalidDataException($"Segmentation Type (0062,0001) is '{text}'; expected BINARY, FRACTIONAL or LABELMAP."),
    };
}
