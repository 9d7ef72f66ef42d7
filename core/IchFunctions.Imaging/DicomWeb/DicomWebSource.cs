using IchFunctions.Dicom;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// The instances of one study on a DICOMweb server, each retrieved with WADO-RS in Explicit VR Little Endian
/// when it is opened, or all at once into memory with <see cref="RetrieveAllAsync"/>. Locations are
/// "series UID/SOP Instance UID".
/// </summary>
public sealed class DicomWebSource : IInstanceSource
{
    private readonly DicomWebClient _client;
    private readonly string _study;

    /// <summary>A source over instances already listed, for example by series selection over metadata.</summary>
    public DicomWebSource(DicomWebClient client, string studyInstanceUid, IReadOnlyList<string> locations)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(locations);
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        _client = client;
        _study = studyInstanceUid;
        Locations = locations;
        Description = $"study {studyInstanceUid} on {client.Endpoint.BaseUrl.GetLeftPart(UriPartial.Authority)} ({locations.Count} instances)";
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    /// <summary>Lists the study's instances with QIDO-RS; throws <see cref="DicomWebException"/> naming the status when the server rejects the request.</summary>
    public static async Task<DicomWebSource> OpenAsync(DicomWebClient client, string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        var locations = new List<string>();
        QidoQuery query = QidoQuery.All.Include("0020000E");
        await foreach (DicomDataset instance in client.SearchAllAsync(QidoTarget.Instances(studyInstanceUid), query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            locations.Add($"{instance.GetString(DicomTags.SeriesInstanceUid)}/{instance.GetString(DicomTags.SopInstanceUid)}");
        }

        locations.Sort(StringComparer.Ordinal);
        return new DicomWebSource(client, studyInstanceUid, locations);
    }

    /// <summary>
    /// Retrieves every instance with up to <paramref name="maxConcurrency"/> requests in flight and returns them
    /// in memory. <see cref="Open"/> blocks a thread per request, so the volume loader, which runs one thread per
    /// core, would otherwise wait on one round trip per core at a time.
    /// </summary>
    public Task<MemorySource> RetrieveAllAsync(int maxConcurrency, CancellationToken cancellationToken = default) =>
        MemorySource.ReadAllAsync(Description, Locations, RetrieveBytesAsync, maxConcurrency, cancellationToken);

    /// <summary>
    /// Retrieves one instance into memory: the volume loader calls this from worker threads and needs a
    /// seekable stream, and <see cref="IInstanceSource"/> is synchronous because file and zip sources are.
    /// </summary>
    public Stream Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        (string series, string sop) = Split(location);
        using Stream instance = _client.RetrieveInstanceAsync(_study, series, sop).GetAwaiter().GetResult();
        var copy = new MemoryStream();
        instance.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    public void Dispose()
    {
    }

    private async Task<byte[]> RetrieveBytesAsync(string location, CancellationToken cancellationToken)
    {
        (string series, string instance) = Split(location);
        await using Stream body = await _client.RetrieveInstanceAsync(_study, series, instance, cancellationToken).ConfigureAwait(false);
        var copy = new MemoryStream();
        await body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }

    private static (string Series, string Instance) Split(string location)
    {
        string[] parts = location.Split('/');
        return parts.Length == 2
            ? (parts[0], parts[1])
            : throw new ArgumentException($"'{location}' is not a 'series/instance' location of this source.", nameof(location));
    }
}
