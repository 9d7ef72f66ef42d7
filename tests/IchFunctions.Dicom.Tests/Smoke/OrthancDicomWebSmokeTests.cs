using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IchFunctions.Testing;
using Microsoft.AspNetCore.WebUtilities;


namespace IchFunctions.Dicom.Tests.Smoke;

/// <summary>
/// Proves the Orthanc instance started by build.sh speaks DICOMweb: STOW-RS, QIDO-RS and WADO-RS with a
/// real file, using plain HttpClient so the test does not depend on the toolkit under test.
/// </summary>
public sealed class OrthancDicomWebSmokeTests
{
    private const string ReferencedSopSequence = "00081199";
    private const string RetrieveUrl = "00081190";
    private const string ReferencedSopInstanceUid = "00081155";
    private const string SopInstanceUid = "00080018";

    [Fact]
    public async Task StowQidoWado_RealFile_RoundTripsByteIdentical()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        byte[] source = await File.ReadAllBytesAsync(TestData.Require("dcm_qa_ct/GE_head_tilt/01.dcm"), cancellationToken);
        using var client = new HttpClient();

        // STOW-RS: one application/dicom part; the response names the stored instance's retrieve URL.
        using var stow = new MultipartContent("related", $"stow-{Guid.NewGuid():N}");
        stow.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        var part = new ByteArrayContent(source);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        stow.Add(part);
        using var stowRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(TestServers.DicomWebRoot, "studies")) { Content = stow };
        stowRequest.Headers.Accept.ParseAdd("application/dicom+json");
        using HttpResponseMessage stowResponse = await client.SendAsync(stowRequest, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, stowResponse.StatusCode);

        using JsonDocument stored = JsonDocument.Parse(await stowResponse.Content.ReadAsStringAsync(cancellationToken));
        JsonElement reference = Assert.Single(stored.RootElement.GetProperty(ReferencedSopSequence).GetProperty("Value").EnumerateArray());
        var instanceUrl = new Uri(reference.GetProperty(RetrieveUrl).GetProperty("Value")[0].GetString()!);
        string sopInstanceUid = reference.GetProperty(ReferencedSopInstanceUid).GetProperty("Value")[0].GetString()!;
        string studyInstanceUid = instanceUrl.Segments[^5].TrimEnd('/');

        try
        {
            // QIDO-RS: the instance is found by its SOP Instance UID.
            using HttpResponseMessage qido = await client.GetAsync(
                new Uri(TestServers.DicomWebRoot, $"instances?{SopInstanceUid}={sopInstanceUid}"), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, qido.StatusCode);
            using JsonDocument found = JsonDocument.Parse(await qido.Content.ReadAsStringAsync(cancellationToken));
            JsonElement match = Assert.Single(found.RootElement.EnumerateArray());
            Assert.Equal(sopInstanceUid, match.GetProperty(SopInstanceUid).GetProperty("Value")[0].GetString());

            // WADO-RS: the instance comes back as the single part of a multipart/related response.
            using var wado = new HttpRequestMessage(HttpMethod.Get, instanceUrl);
            wado.Headers.Accept.ParseAdd("multipart/related; type=\"application/dicom\"");
            using HttpResponseMessage wadoResponse = await client.SendAsync(wado, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, wadoResponse.StatusCode);

            string boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
                wadoResponse.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value).ToString();
            var reader = new MultipartReader(boundary, await wadoResponse.Content.ReadAsStreamAsync(cancellationToken));
            MultipartSection section = (await reader.ReadNextSectionAsync(cancellationToken))!;
            using var retrieved = new MemoryStream();
            await section.Body.CopyToAsync(retrieved, cancellationToken);

            Assert.Null(await reader.ReadNextSectionAsync(cancellationToken));
            Assert.Equal(source, retrieved.ToArray());
        }
        finally
        {
            await OrthancStudies.DeleteAsync(client, studyInstanceUid, CancellationToken.None);
        }
    }
}
