using System.Net;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Json;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// A DICOMweb client for the Azure Health Data Services DICOM service (API v2, with or without data
/// partitions) that also works against standard DICOMweb servers such as Orthanc: QIDO-RS searches,
/// WADO-RS metadata and instance retrieval, STOW-RS with per-instance results, and the v2 change feed.
/// Authentication, retries and timeouts belong to the <see cref="HttpClient"/>'s handlers. Failed requests
/// raise <see cref="DicomWebException"/> with the operation, the UIDs involved and the HTTP status; the
/// caller's cancellation passes through as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class DicomWebClient
{
    private const string DicomJson = "application/dicom+json";

    private readonly HttpClient _http;

    public DicomWebClient(HttpClient httpClient, DicomWebEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = httpClient;
        Endpoint = endpoint;
    }

    public DicomWebEndpoint Endpoint { get; }

    /// <summary>Sends a request, translating transport failures and timeouts into <see cref="DicomWebException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new DicomWebException(
                $"{operation} failed: {Endpoint.BaseUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({exception.Message}). "
                + "Check the DICOMweb base URL and that the server is running.", exception, exception.StatusCode);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException($"{operation} timed out after {_http.Timeout.TotalSeconds:0} s.", exception, HttpStatusCode.RequestTimeout);
        }
    }

    /// <summary>Sends a GET with an Accept header and returns the response when it succeeded.</summary>
    private async Task<HttpResponseMessage> GetAsync(Uri uri, string accept, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        HttpResponseMessage response = await SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await DicomWebException.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>Reads a DICOM JSON array; an empty body or 204 No Content is an empty list.</summary>
    private static async Task<IReadOnlyList<DicomDataset>> ReadDatasetsAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        using JsonDocument? document = await ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return [];
        }

        try
        {
            return DicomJsonReader.ReadArray(document.RootElement);
        }
        catch (DicomJsonException exception)
        {
            throw new DicomWebException($"{operation} returned invalid DICOM JSON: {exception.Message}", exception, response.StatusCode);
        }
    }

    /// <summary>Parses the body as JSON; returns null for 204, an empty body or a JSON null.</summary>
    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            // The message names the position only: the body may hold patient data.
            throw new DicomWebException(
                $"{operation} returned a body that is not valid JSON (HTTP {(int)response.StatusCode}, {body.Length} bytes, "
                + $"line {exception.LineNumber}, byte {exception.BytePositionInLine}).", exception, response.StatusCode);
        }

        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            return null;
        }

        return document;
    }
}
