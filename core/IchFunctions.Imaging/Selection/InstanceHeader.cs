namespace IchFunctions.Imaging.Selection;

/// <summary>
/// The attributes of one DICOM instance that series selection and volume building read. Filled from a
/// header-only read of a file, or from DICOMweb metadata. It contains no patient-identifying attributes.
/// </summary>
public sealed record InstanceHeader
{
    /// <summary>Where the instance can be read again: a file path, a zip entry, a blob name or a WADO-RS URL.</summary>
    public required string Location { get; init; }

    public required string SopClassUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    public string? Modality { get; init; }

    public IReadOnlyList<string> ImageType { get; init; } = [];

    public string? BodyPartExamined { get; init; }

    public string? StudyDescription { get; init; }

    public string? SeriesDescription { get; init; }

    public string? ProtocolName { get; init; }

    public IReadOnlyList<string> ConvolutionKernel { get; init; } = [];

    public string? ContrastBolusAgent { get; init; }

    public int? SeriesNumber { get; init; }

    public int? InstanceNumber { get; init; }

    public double? SliceThickness { get; init; }

    /// <summary>Image Position (Patient): three values in mm, or empty when absent.</summary>
    public IReadOnlyList<double> ImagePositionPatient { get; init; } = [];

    /// <summary>Image Orientation (Patient): six direction cosines, or empty when absent.</summary>
    public IReadOnlyList<double> ImageOrientationPatient { get; init; } = [];

    /// <summary>Pixel Spacing: row spacing then column spacing in mm, or empty when absent.</summary>
    public IReadOnlyList<double> PixelSpacing { get; init; } = [];

    public int? Rows { get; init; }

    public int? Columns { get; init; }

    /// <summary>Number of Frames; null for single-frame instances.</summary>
    public int? NumberOfFrames { get; init; }

    public string? TransferSyntaxUid { get; init; }
}
