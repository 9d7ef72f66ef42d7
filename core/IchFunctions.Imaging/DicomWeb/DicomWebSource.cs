using System.Net.Http.Headers;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Json;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// The instances of one study on a DICOMweb server: listed with QIDO-RS, each fetched with WADO-RS when it is
/// opened. Locations are "series UID/SOP Instance UID".
/// </summary>
public sealed class DicomWebSource : IInstanceSource
{
    /// <summary>Accept header of instance retrieval: Part 10 files in the transfer syntax the server stores.</summary>
    public const string InstanceAccept = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    private readonly HttpClient _client;
    private readonly Uri _root;
    private readonly string _study;

    private DicomWebSource(HttpClient client, Uri root, string study, IReadOnlyList<string> locations)
    {
        _client = client;
        _root = root;
        _study = study;
        Locations = locations;
        Description = $"study {study} on {root.GetLeftPart(UriPartial.Authority)} ({locations.Count} instances)";
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    /// <summary>Lists the study's instances; throws <see cref="DicomWebException"/> naming the status when the server refuses.</summary>
    public static async Task<DicomWebSource> OpenAsync(HttpClient client, Uri root, string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(root);
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        root = DicomWebPaths.WithTrailingSlash(root);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, $"studies/{studyInstanceUid}/instances?includefield=0020000E"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await DicomWebException.ThrowIfFailedAsync(response, $"QIDO-RS for study {studyInstanceUid}", cancellationToken).ConfigureAwait(false);

        IReadOnlyList<DicomDataset> instances = response.Content.Headers.ContentLength == 0 || response.StatusCode == System.Net.HttpStatusCode.NoContent
            ? []
            : await DicomJsonReader.ReadArrayAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        string[] locations = instances
            .Select(instance => $"{instance.GetString(DicomTags.SeriesInstanceUid)}/{instance.GetString(DicomTags.SopInstanceUid)}")
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new DicomWebSource(client, root, studyInstanceUid, locations);
    }

    /// <summary>Retrieves one instance with WADO-RS and returns its Part 10 bytes.</summary>
    public Stream Open(string location)
    {
        string[] parts = location.Split('/');
        if (parts.Length != 2)
        {
            throw new ArgumentException($"'{location}' is not a 'series/instance' location of this source.", nameof(location));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, $"studies/{_study}/series/{parts[0]}/instances/{parts[1]}"));
        request.Headers.TryAddWithoutValidation("Accept", InstanceAccept);

        // IInstanceSource is synchronous because file and zip sources are; the volume loader calls it from worker threads.
        using HttpResponseMessage response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        DicomWebException.ThrowIfFailedAsync(response, $"WADO-RS for instance {parts[1]}", CancellationToken.None).GetAwaiter().GetResult();
        string boundary = MultipartContentType.GetBoundary(response.Content.Headers.ContentType?.ToString() ?? "");
        using Stream body = response.Content.ReadAsStream();
        using var reader = new MultipartRelatedReader(body, boundary);
        MultipartPart part = reader.ReadNextPart()
            ?? throw new DicomWebException($"WADO-RS for instance {parts[1]} returned no parts.");
        var copy = new MemoryStream();
        part.Body.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    public void Dispose()
    {
    }
}
