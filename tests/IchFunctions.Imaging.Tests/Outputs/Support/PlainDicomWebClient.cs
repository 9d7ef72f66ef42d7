using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IchFunctions.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace IchFunctions.Imaging.Tests.Outputs.Support;

/// <summary>
/// STOW-RS, QIDO-RS and WADO-RS against the test Orthanc with plain HttpClient, so the round trip does not
/// depend on the toolkit's own DICOMweb code.
/// </summary>
internal sealed class PlainDicomWebClient(HttpClient client)
{
    /// <summary>Stores instances in one STOW-RS request; returns the HTTP status and the response's DICOM JSON.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Response)> StoreAsync(IEnumerable<byte[]> instances, CancellationToken cancellationToken)
    {
        using var content = new MultipartContent("related", $"stow-{Guid.NewGuid():N}");
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (byte[] instance in instances)
        {
            var part = new ByteArrayContent(instance);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(part);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TestServers.DicomWebRoot, "studies")) { Content = content };
        request.Headers.Accept.ParseAdd("application/dicom+json");
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Runs a QIDO-RS query (a path relative to the DICOMweb root) and returns the matches.</summary>
    public async Task<JsonElement[]> SearchAsync(string query, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(TestServers.DicomWebRoot, query), cancellationToken);
        response.EnsureSuccessStatusCode();
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? [] : JsonSerializer.Deserialize<JsonElement[]>(text) ?? [];
    }

    /// <summary>Retrieves one instance with WADO-RS and returns its bytes.</summary>
    public async Task<byte[]> RetrieveAsync(string study, string series, string instance, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(TestServers.DicomWebRoot, $"studies/{study}/series/{series}/instances/{instance}"));
        request.Headers.Accept.ParseAdd("multipart/related; type=\"application/dicom\"");
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        string boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
            response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value).ToString();
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync(cancellationToken));
        MultipartSection section = (await reader.ReadNextSectionAsync(cancellationToken))
            ?? throw new InvalidDataException("The WADO-RS response has no part.");
        using var body = new MemoryStream();
        await section.Body.CopyToAsync(body, cancellationToken);
        return body.ToArray();
    }

    /// <summary>Returns the first value of a tag of a DICOM JSON object.</summary>
    public static string? Value(JsonElement dataset, string tag) =>
        dataset.TryGetProperty(tag, out JsonElement element) && element.TryGetProperty("Value", out JsonElement values) ? values[0].GetString() : null;
}
