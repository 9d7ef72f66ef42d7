using System.Net;
using System.Net.Http.Headers;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Multipart;

namespace IchFunctions.Imaging.DicomWeb;

public sealed partial class DicomWebClient
{
    /// <summary>Explicit VR Little Endian, the transfer syntax instances are requested in.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Transfer syntax value that requests the instance as stored, without transcoding.</summary>
    public const string StoredTransferSyntax = "*";

    /// <summary>Accept header of single-part instance retrieval; the Azure DICOM service transcodes to it.</summary>
    public const string SinglePartInstanceAccept = "application/dicom; transfer-syntax=" + ExplicitVrLittleEndian;

    /// <summary>Accept header of the multipart fallback, which Orthanc's DICOMweb plugin (1.7) accepts and transcodes.</summary>
    public const string MultipartInstanceAccept = "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ExplicitVrLittleEndian;

    // Set once a server has rejected single-part retrieval and returned the instance for the multipart request, so later
    // retrievals skip the request that is known to fail.
    private volatile bool _singlePartUnsupported;

    /// <summary>Retrieves the DICOM JSON metadata of every instance of a study (WADO-RS).</summary>
    public Task<IReadOnlyList<DicomDataset>> RetrieveStudyMetadataAsync(string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        return RetrieveMetadataAsync($"studies/{studyInstanceUid}/metadata", $"WADO-RS metadata of study {studyInstanceUid}", cancellationToken);
    }

    /// <summary>Retrieves the DICOM JSON metadata of every instance of a series (WADO-RS).</summary>
    public Task<IReadOnlyList<DicomDataset>> RetrieveSeriesMetadataAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken = default)
    {
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        DicomUidSyntax.Require(seriesInstanceUid, "Series Instance UID");
        return RetrieveMetadataAsync(
            $"studies/{studyInstanceUid}/series/{seriesInstanceUid}/metadata", $"WADO-RS metadata of series {seriesInstanceUid}", cancellationToken);
    }

    /// <summary>Retrieves the DICOM JSON metadata of one instance (WADO-RS).</summary>
    public async Task<DicomDataset> RetrieveInstanceMetadataAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        DicomUidSyntax.Require(seriesInstanceUid, "Series Instance UID");
        DicomUidSyntax.Require(sopInstanceUid, "SOP Instance UID");
        string operation = $"WADO-RS metadata of instance {sopInstanceUid}";
        IReadOnlyList<DicomDataset> datasets = await RetrieveMetadataAsync(
            $"studies/{studyInstanceUid}/series/{seriesInstanceUid}/instances/{sopInstanceUid}/metadata", operation, cancellationToken).ConfigureAwait(false);
        return datasets.Count == 1
            ? datasets[0]
            : throw new DicomWebException($"{operation} returned {datasets.Count} data sets; expected exactly one.");
    }

    /// <summary>Retrieves one instance as a Part 10 stream in Explicit VR Little Endian; see the overload with a transfer syntax.</summary>
    public Task<Stream> RetrieveInstanceAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default) =>
        RetrieveInstanceAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, ExplicitVrLittleEndian, cancellationToken);

    /// <summary>
    /// Retrieves one instance as a Part 10 stream, read from the network as the caller reads it; the caller
    /// disposes it. The instance comes in <paramref name="transferSyntax"/>, Explicit VR Little Endian unless
    /// the caller requests <see cref="StoredTransferSyntax"/>. The client requests a single part first and
    /// falls back to multipart/related when the server rejects that (Orthanc returns 400). A server that cannot
    /// transcode the stored syntax returns 406, which raises <see cref="DicomWebException"/>, and the caller
    /// may retry with <see cref="StoredTransferSyntax"/> and decode the instance itself. Nothing is buffered
    /// here: whether a series is held in memory is up to the caller (<see cref="DicomWebSource.RetrieveAllAsync"/> does).
    /// </summary>
    public async Task<Stream> RetrieveInstanceAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string transferSyntax, CancellationToken cancellationToken = default)
    {
        if (transferSyntax != StoredTransferSyntax)
        {
            DicomUidSyntax.Require(transferSyntax, "Transfer Syntax UID");
        }

        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        DicomUidSyntax.Require(seriesInstanceUid, "Series Instance UID");
        DicomUidSyntax.Require(sopInstanceUid, "SOP Instance UID");
        Uri uri = Endpoint.Studies($"studies/{studyInstanceUid}/series/{seriesInstanceUid}/instances/{sopInstanceUid}");
        string operation = $"WADO-RS for instance {sopInstanceUid}";

        if (!_singlePartUnsupported)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", "application/dicom; transfer-syntax=" + transferSyntax);
            HttpResponseMessage response = await SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await OpenInstanceBodyAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }

            using (response)
            {
                if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.NotAcceptable or HttpStatusCode.UnsupportedMediaType))
                {
                    throw await DicomWebException.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        string multipartAccept = "multipart/related; type=\"application/dicom\"; transfer-syntax=" + transferSyntax;
        HttpResponseMessage multipart = await GetAsync(uri, multipartAccept, operation, cancellationToken).ConfigureAwait(false);
        Stream instance = await OpenInstanceBodyAsync(multipart, operation, cancellationToken).ConfigureAwait(false);
        _singlePartUnsupported = true;
        return instance;
    }

    private async Task<IReadOnlyList<DicomDataset>> RetrieveMetadataAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await GetAsync(Endpoint.Studies(path), DicomJson, operation, cancellationToken).ConfigureAwait(false);
        return await ReadDatasetsAsync(response, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the Part 10 body of a successful response, single part or the first part of a multipart one; the stream owns the response.</summary>
    private static async Task<Stream> OpenInstanceBodyAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        try
        {
            MediaTypeHeaderValue? contentType = response.Content.Headers.ContentType;
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (string.Equals(contentType?.MediaType, "application/dicom", StringComparison.OrdinalIgnoreCase))
            {
                return new OwningStream(body, response);
            }

            if (!string.Equals(contentType?.MediaType, "multipart/related", StringComparison.OrdinalIgnoreCase))
            {
                throw new DicomWebException(
                    $"{operation} returned Content-Type '{contentType}'; expected application/dicom or multipart/related.", response.StatusCode);
            }

            var reader = new MultipartRelatedReader(body, MultipartContentType.GetBoundary(contentType!.ToString()));
            try
            {
                MultipartPart part = await reader.ReadNextPartAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new DicomWebException($"{operation} returned a multipart response without parts.", response.StatusCode);
                return new OwningStream(part.Body, reader, response);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
