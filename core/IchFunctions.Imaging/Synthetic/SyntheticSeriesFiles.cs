using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>What <see cref="SyntheticSeriesWriter.WriteAsync"/> wrote: the CT series, the truth mask, sidecar and SEG.</summary>
/// <param name="Folder">The exam folder.</param>
/// <param name="SliceFiles">CT files in anatomical order, one per slice.</param>
/// <param name="Headers">The CT data sets of <paramref name="SliceFiles"/>, without pixel data.</param>
/// <param name="MaskFile">The NIfTI-1 label mask (<see cref="SyntheticSeriesWriter.MaskFileName"/>), or null for a series that is not evenly spaced.</param>
/// <param name="SidecarFile">The JSON truth sidecar (<see cref="SyntheticSeriesWriter.SidecarFileName"/>).</param>
/// <param name="SegmentationFile">The ground truth as DICOM SEG, or null when not asked for.</param>
public sealed record SyntheticSeriesFiles(
    string Folder,
    IReadOnlyList<string> SliceFiles,
    IReadOnlyList<DicomDataset> Headers,
    string? MaskFile,
    string SidecarFile,
    string? SegmentationFile);
