using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Functions.Triggers.Uploads;

/// <summary>An upload that cannot be scored, with the reason written to its rejection blob.</summary>
public sealed class UploadRejectedException(string reason) : Exception(reason)
{
    public UploadRejectedException()
        : this("The upload was rejected.")
    {
    }

    public UploadRejectedException(string message, Exception innerException)
        : this(message)
    {
        ArgumentNullException.ThrowIfNull(innerException);
    }
}

/// <summary>Checks what an uploaded blob contains before any work starts: the header of one instance, or every header of a zip.</summary>
public static class UploadedExam
{
    private const string CtModality = "CT";
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };

    /// <summary>Reads the header of a single-instance upload; throws <see cref="UploadRejectedException"/> unless it is a CT instance with a study UID.</summary>
    public static InstanceHeader ReadInstance(Stream content, string blobName)
    {
        ArgumentNullException.ThrowIfNull(content);
        InstanceHeader header;
        try
        {
            header = InstanceHeaderReader.Read(DicomReader.Read(content, HeaderOnly), blobName);
        }
        catch (Exception error) when (error is DicomDataException or InvalidDataException or EndOfStreamException)
        {
            throw new UploadRejectedException($"'{blobName}' is not a DICOM instance this app can read: {error.Message} Upload DICOM Part 10 files or a .zip of them.");
        }

        if (string.IsNullOrEmpty(header.StudyInstanceUid))
        {
            throw new UploadRejectedException($"'{blobName}' has no Study Instance UID (0020,000D), so it cannot be grouped with the rest of its study.");
        }

        if (!string.Equals(header.Modality, CtModality, StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadRejectedException($"'{blobName}' has modality '{header.Modality}'; only CT instances are scored.");
        }

        return header;
    }

    /// <summary>
    /// Opens a zip upload and reads every header. Throws <see cref="UploadRejectedException"/> for an archive the
    /// zip limits reject (path traversal, zip bomb, too large), one with no CT instance, or one holding more
    /// than one study. Returns the study UID.
    /// </summary>
    public static string ReadZipStudy(Stream seekableContent, string blobName, ZipLimits limits)
    {
        ArgumentNullException.ThrowIfNull(seekableContent);
        ZipSource zip;
        try
        {
            zip = ZipSource.Open(seekableContent, $"zip '{blobName}'", limits);
        }
        catch (InvalidDataException error)
        {
            throw new UploadRejectedException(error.Message);
        }

        using (zip)
        {
            ScanResult scan;
            try
            {
                scan = InstanceScanner.Scan(zip);
            }
            catch (InvalidDataException error)
            {
                throw new UploadRejectedException(error.Message);
            }

            InstanceHeader[] ct = scan.Instances.Where(i => string.Equals(i.Modality, CtModality, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (ct.Length == 0)
            {
                string skipped = scan.Skipped.Count == 0 ? "" : $" {scan.Skipped.Count} entries are not readable DICOM, for example '{scan.Skipped[0].Location}': {scan.Skipped[0].Reason}";
                throw new UploadRejectedException($"{zip.Description} contains no CT instance ({scan.Instances.Count} DICOM instances of other modalities).{skipped}");
            }

            string[] studies = ct.Select(i => i.StudyInstanceUid ?? "").Distinct(StringComparer.Ordinal).ToArray();
            if (studies.Length != 1 || studies[0].Length == 0)
            {
                throw new UploadRejectedException(studies.Length > 1
                    ? $"{zip.Description} contains CT instances of {studies.Length} studies; upload one exam per zip."
                    : $"{zip.Description} has CT instances without a Study Instance UID (0020,000D).");
            }

            return studies[0];
        }
    }
}
