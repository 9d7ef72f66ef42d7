namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>SOP Class UIDs of segmentations.</summary>
public static class SegmentationSopClasses
{
    /// <summary>Segmentation Storage (BINARY and FRACTIONAL).</summary>
    public const string Segmentation = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>Label Map Segmentation Storage.</summary>
    public const string LabelMapSegmentation = "1.2.840.10008.5.1.4.1.1.66.7";
}
