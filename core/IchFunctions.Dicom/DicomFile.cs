namespace IchFunctions.Dicom;

/// <summary>
/// A DICOM Part 10 file or bare data set as read: the file meta information group (PS3.10 section 7.1),
/// kept apart from the data set, and the transfer syntax the data set was decoded with.
/// </summary>
public sealed class DicomFile
{
    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrEmpty(transferSyntaxUid);
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntaxUid = transferSyntaxUid;
    }

    /// <summary>The group 0002 elements; empty when the input had no file meta information.</summary>
    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>
    /// The transfer syntax of the data set: from (0002,0010), from the reader options, or detected for bare
    /// data sets. Binary values in memory are little endian whatever this is.
    /// </summary>
    public string TransferSyntaxUid { get; }

    /// <summary>Whether the input started with the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; init; }

    /// <summary>
    /// Whether reading stopped at Pixel Data (7FE0,0010) because the options asked for a header-only read;
    /// the data set then holds every element before it and nothing after.
    /// </summary>
    public bool StoppedBeforePixelData { get; init; }
}
