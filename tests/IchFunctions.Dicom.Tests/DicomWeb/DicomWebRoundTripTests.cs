using System.Net;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Json;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.DicomWeb;

/// <summary>
/// A whole real series through the toolkit's DICOMweb wire formats against the Orthanc started by build.sh.
/// STOW-RS goes through our multipart writer, and the STOW and QIDO-RS responses through our JSON reader. The
/// WADO-RS response goes through our multipart reader, which must return every file byte for byte. It uses the Philips phantom
/// series, because other tests store and delete the GE study in the same Orthanc while this one runs.
/// </summary>
public sealed class DicomWebRoundTripTests
{
    private static readonly DicomTag ReferencedSopSequence = new(0x0008, 0x1199);
    private static readonly DicomTag FailedSopSequence = new(0x0008, 0x1198);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);

    [Fact]
    public async Task StowQidoWado_PhantomSeries_BytesIdentical()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string folder = TestData.Require("dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm");
        Dictionary<string, byte[]> sources = [];
        using var stow = new MultipartRelatedContent();
        foreach (string path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            DicomFile header = await DicomReader.ReadFileAsync(path, new DicomReaderOptions { StopBeforePixelData = true }, cancellationToken);
            sources.Add(header.Dataset.GetString(DicomTags.SopInstanceUid)!, await File.ReadAllBytesAsync(path, cancellationToken));
            stow.AddFile(path);
        }

        DicomDataset first = DicomReader.ReadFile(Directory.GetFiles(folder)[0]).Dataset;
        string studyUid = first.GetString(DicomTags.StudyInstanceUid)!;
        string seriesUid = first.GetString(DicomTags.SeriesInstanceUid)!;
        using var client = new HttpClient();
        try
        {
            // STOW-RS: one request streams all 28 files; the response lists each stored instance.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TestServers.DicomWebRoot, "studies")) { Content = stow };
            request.Headers.Accept.ParseAdd("application/dicom+json");
            using HttpResponseMessage stored = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            DicomDataset stowResult = DicomJsonReader.ReadDataset(
                System.Text.Json.JsonDocument.Parse(await stored.Content.ReadAsStringAsync(cancellationToken)).RootElement);
            Assert.Empty(stowResult.FindSequence(FailedSopSequence)?.Items ?? []);
            Assert.Equal(sources.Keys.Order(StringComparer.Ordinal),
                stowResult.FindSequence(ReferencedSopSequence)!.Items.Select(item => item.GetString(ReferencedSopInstanceUid)!).Order(StringComparer.Ordinal));

            // QIDO-RS: the instances of the study, as DICOM JSON.
            using HttpResponseMessage found = await client.GetAsync(new Uri(TestServers.DicomWebRoot, $"studies/{studyUid}/series/{seriesUid}/instances"), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            IReadOnlyList<DicomDataset> instances = await DicomJsonReader.ReadArrayAsync(await found.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
            Assert.Equal(sources.Keys.Order(StringComparer.Ordinal), instances.Select(instance => instance.GetString(DicomTags.SopInstanceUid)!).Order(StringComparer.Ordinal));
            Assert.All(instances, instance => Assert.Equal(studyUid, instance.GetString(DicomTags.StudyInstanceUid)));

            // WADO-RS: the whole series as multipart/related, streamed part by part.
            using var retrieve = new HttpRequestMessage(HttpMethod.Get, new Uri(TestServers.DicomWebRoot, $"studies/{studyUid}/series/{seriesUid}"));
            retrieve.Headers.Accept.ParseAdd("multipart/related; type=\"application/dicom\"");
            using HttpResponseMessage retrieved = await client.SendAsync(retrieve, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, retrieved.StatusCode);
            string boundary = MultipartContentType.GetBoundary(retrieved.Content.Headers.ContentType!.ToString());
            using var reader = new MultipartRelatedReader(await retrieved.Content.ReadAsStreamAsync(cancellationToken), boundary);
            var returned = new HashSet<string>();
            while (await reader.ReadNextPartAsync(cancellationToken) is { } part)
            {
                using var bytes = new MemoryStream();
                await part.Body.CopyToAsync(bytes, cancellationToken);
                bytes.Position = 0;
                string sopInstanceUid = DicomReader.Read(bytes, new DicomReaderOptions { StopBeforePixelData = true }).Dataset.GetString(DicomTags.SopInstanceUid)!;
                Assert.True(returned.Add(sopInstanceUid), $"instance {sopInstanceUid} returned twice");
                Assert.Equal(sources[sopInstanceUid], bytes.ToArray());
            }

            Assert.Equal(sources.Count, returned.Count);
        }
        finally
        {
            await OrthancStudies.DeleteAsync(client, studyUid, CancellationToken.None);
        }
    }
}
