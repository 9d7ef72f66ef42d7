using IchFunctions.Dicom.Uids;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>
/// Deterministic UIDs of the outputs: name-based (UUID version 5 under 2.25) from the source series UID, the
/// model name and version and the kind of object, so a rerun of the same model on the same series produces
/// the same UIDs and the archive recognises the result as already stored.
/// </summary>
public static class OutputUids
{
    public static string SegmentationSeries(string sourceSeriesUid, AlgorithmIdentification algorithm) =>
        FromParts(sourceSeriesUid, algorithm, "seg-series");

    public static string SegmentationInstance(string sourceSeriesUid, AlgorithmIdentification algorithm, string segmentationType) =>
        FromParts(sourceSeriesUid, algorithm, "seg-instance-" + segmentationType);

    public static string DimensionOrganization(string sourceSeriesUid, AlgorithmIdentification algorithm, string segmentationType) =>
        FromParts(sourceSeriesUid, algorithm, "seg-dimensions-" + segmentationType);

    public static string ReportSeries(string sourceSeriesUid, AlgorithmIdentification algorithm) =>
        FromParts(sourceSeriesUid, algorithm, "sr-series");

    public static string ReportInstance(string sourceSeriesUid, AlgorithmIdentification algorithm) =>
        FromParts(sourceSeriesUid, algorithm, "sr-instance");

    public static string TrackingUid(string sourceSeriesUid, AlgorithmIdentification algorithm, string finding) =>
        FromParts(sourceSeriesUid, algorithm, "tracking-" + finding);

    /// <summary>The device observer UID of a model: the same for every report the model version writes.</summary>
    public static string DeviceObserver(AlgorithmIdentification algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return DicomUidGenerator.FromName($"ichfunctions|device|{algorithm.Name}|{algorithm.Version}");
    }

    private static string FromParts(string sourceSeriesUid, AlgorithmIdentification algorithm, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceSeriesUid);
        ArgumentNullException.ThrowIfNull(algorithm);
        return DicomUidGenerator.FromName($"ichfunctions|{kind}|{sourceSeriesUid}|{algorithm.Name}|{algorithm.Version}");
    }
}
