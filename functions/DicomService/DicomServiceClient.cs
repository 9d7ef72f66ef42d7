using System.Net;
using System.Net.Http.Headers;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Json;
using IchFunctions.Functions.Options;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Outputs.Common;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// The DICOMweb calls the orchestration makes to the DICOM service (or any DICOMweb server): study metadata
/// with WADO-RS, instance retrieval, and STOW-RS of the outputs. Requests go to the configured data partition.
/// </summary>
public sealed class DicomServiceClient
{
    private readonly HttpClient _http;

    public DicomServiceClient(HttpClient http, IOptions<DicomServiceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        Uri baseUrl = options.Value.BaseUrl ?? throw new InvalidOperationException("DicomService__BaseUrl is not set.");
        string root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        string? partition = options.Value.DataPartition;
        Root = new Uri(string.IsNullOrEmpty(partition) ? root : $"{root}partitions/{partition}/");
    }

    /// <summary>The DICOMweb root requests are made under, including the data partition.</summary>
    public Uri Root { get; }

    /// <summary>Reads the metadata of every instance of a study (WADO-RS); an unknown study has none.</summary>
    public async Task<IReadOnlyList<DicomDataset>> ReadStudyMetadataAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Root, $"studies/{studyInstanceUid}/metadata"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NoContent)
        {
            return [];
        }

        await DicomWebException.ThrowIfFailedAsync(response, $"WADO-RS metadata of study {studyInstanceUid}", cancellationToken).ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await DicomJsonReader.ReadArrayAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the study's instances (QIDO-RS) and returns a source that retrieves each one with WADO-RS.</summary>
    public Task<DicomWebSource> OpenStudyAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        DicomWebSource.OpenAsync(_http, Root, studyInstanceUid, cancellationToken);

    /// <summary>Stores instances into their study with STOW-RS; an instance the service already holds counts as stored.</summary>
    public Task<IReadOnlyList<(string SopInstanceUid, StowInstanceStatus Status)>> StoreAsync(
        string studyInstanceUid, IReadOnlyList<DicomFile> files, CancellationToken cancellationToken) =>
        StowClient.StoreAsync(_http, Root, studyInstanceUid, files, cancellationToken);
}
