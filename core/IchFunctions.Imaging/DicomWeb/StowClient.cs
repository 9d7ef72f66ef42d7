using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>Stores output instances in their study with STOW-RS. An instance the server already has counts as stored.</summary>
public static class StowClient
{
    public static async Task<IReadOnlyList<(string SopInstanceUid, StowInstanceStatus Status)>> StoreAsync(
        HttpClient client, Uri root, string studyInstanceUid, IReadOnlyList<DicomFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(files);
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        root = DicomWebPaths.WithTrailingSlash(root);

        var content = new MultipartRelatedContent();
        foreach (DicomFile file in files)
        {
            content.Add("application/dicom", async token =>
            {
                var buffer = new MemoryStream();
                await DicomWriter.WriteAsync(buffer, file, cancellationToken: token).ConfigureAwait(false);
                buffer.Position = 0;
                return buffer;
            });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, $"studies/{studyInstanceUid}")) { Content = content };
        request.Headers.Accept.ParseAdd("application/dicom+json");
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        // 409 (all failed) and 202 (some failed) still carry the per-instance result the caller must read.
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != 409)
        {
            await DicomWebException.ThrowIfFailedAsync(response, $"STOW-RS into study {studyInstanceUid}", cancellationToken).ConfigureAwait(false);
        }

        using JsonDocument result = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        var outcomes = new List<(string, StowInstanceStatus)>(files.Count);
        foreach (DicomFile file in files)
        {
            string uid = file.Dataset.GetString(DicomTags.SopInstanceUid)!;
            (StowInstanceStatus status, int? reason) = StowOutcome.Classify(result.RootElement, uid);
            if (status is StowInstanceStatus.Failed or StowInstanceStatus.Missing)
            {
                throw new DicomWebException($"STOW-RS did not store instance {uid}: {status}{(reason is int code ? $", failure reason {code}" : "")}.", response.StatusCode);
            }

            outcomes.Add((uid, status));
        }

        return outcomes;
    }
}
