using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Functions.Studies;

/// <summary>
/// Instances of one study on the DICOM service, retrieved with WADO-RS in Explicit VR Little Endian when
/// opened. Locations are "series UID/SOP Instance UID", as series selection records them.
/// </summary>
public sealed class DicomServiceInstanceSource(DicomWebClient client, string studyInstanceUid, IReadOnlyList<string> locations) : IInstanceSource
{
    public string Description => $"study {studyInstanceUid} on the DICOM service ({Locations.Count} instances)";

    public IReadOnlyList<string> Locations { get; } = locations;

    /// <summary>
    /// Retrieves one instance into memory. The volume loader calls this from worker threads and needs a
    /// seekable stream, and <see cref="IInstanceSource"/> is synchronous because file and zip sources are.
    /// </summary>
    public Stream Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        string[] parts = location.Split('/');
        if (parts.Length != 2)
        {
            throw new ArgumentException($"'{location}' is not a 'series/instance' location of the DICOM service.", nameof(location));
        }

        using Stream instance = client.RetrieveInstanceAsync(studyInstanceUid, parts[0], parts[1]).GetAwaiter().GetResult();
        var copy = new MemoryStream();
        instance.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    public void Dispose()
    {
    }
}
