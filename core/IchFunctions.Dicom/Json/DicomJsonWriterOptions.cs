namespace IchFunctions.Dicom.Json;

/// <summary>Settings for <see cref="DicomJsonWriter"/>.</summary>
public sealed record DicomJsonWriterOptions
{
    public static DicomJsonWriterOptions Default { get; } = new();

    /// <summary>
    /// Returns the BulkDataURI for a binary element (OB, OD, OF, OL, OV, OW, UN, encapsulated Pixel Data), or null
    /// to write its bytes as InlineBinary. Encapsulated Pixel Data needs a URI, since PS3.18 has no inline form
    /// that keeps its fragments.
    /// </summary>
    public Func<DicomDataset, DicomElement, Uri?>? BulkDataUri { get; init; }
}
