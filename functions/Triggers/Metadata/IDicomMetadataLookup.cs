namespace IchFunctions.Functions.Triggers.Metadata;

/// <summary>Reads what the triggers need to know about stored instances from the DICOM service's metadata.</summary>
public interface IDicomMetadataLookup
{
    /// <summary>
    /// Returns the Modality (0008,0060) of a series as the DICOM service stores it, or null when the series
    /// is not found (deleted since the event was raised).
    /// </summary>
    Task<string?> GetSeriesModalityAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken);
}
