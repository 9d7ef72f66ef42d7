using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Selection;

namespace IchFunctions.Imaging.Sources;

/// <summary>A file of the source that is not a usable DICOM instance, and why.</summary>
public sealed record SkippedFile(string Location, string Reason);

/// <summary>The headers of every readable instance of a source, and the files that were skipped.</summary>
public sealed record ScanResult(IReadOnlyList<InstanceHeader> Instances, IReadOnlyList<SkippedFile> Skipped);

/// <summary>Reads the header of every instance of a source, stopping before Pixel Data, for series selection.</summary>
public static class InstanceScanner
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };

    /// <summary>
    /// Reads every location. Files that are not DICOM, or lack the UIDs that place them in a series, are
    /// skipped with the reader's message, so one bad file does not fail the scan.
    /// </summary>
    public static ScanResult Scan(IInstanceSource source, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var instances = new List<InstanceHeader>(source.Locations.Count);
        var skipped = new List<SkippedFile>();
        int done = 0;
        foreach (string location in source.Locations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using Stream stream = source.Open(location);
                instances.Add(InstanceHeaderReader.Read(DicomReader.Read(stream, HeaderOnly), location));
            }
            catch (DicomDataException error)
            {
                skipped.Add(new SkippedFile(location, error.Message));
            }
            catch (InvalidDataException error)
            {
                skipped.Add(new SkippedFile(location, error.Message));
            }

            progress?.Report(++done);
        }

        return new ScanResult(instances, skipped);
    }
}
