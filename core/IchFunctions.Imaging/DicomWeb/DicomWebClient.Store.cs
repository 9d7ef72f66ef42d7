using System.Net;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;

namespace IchFunctions.Imaging.DicomWeb;

public sealed partial class DicomWebClient
{
    /// <summary>
    /// Stores instances with one STOW-RS request, into <paramref name="studyInstanceUid"/> when given (the
    /// server then rejects instances of other studies). Each instance is serialised when its part is sent, so
    /// a retried request sends the same bytes again. Returns one result per instance: 200, 202 (some failed or
    /// carry warnings) and 409 (none stored) are read from the response body, other statuses raise
    /// <see cref="DicomWebException"/>. Call <see cref="StowResult.EnsureAllStored"/> to require every instance.
    /// </summary>
    public async Task<StowResult> StoreAsync(IReadOnlyList<DicomFile> files, string? studyInstanceUid = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("STOW-RS needs at least one instance to store.", nameof(files));
        }

        if (studyInstanceUid is not null)
        {
            DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        }

        string[] uids = [.. files.Select(file => file.Dataset.GetString(DicomTags.SopInstanceUid)
            ?? throw new ArgumentException("An instance to store has no SOP Instance UID (0008,0018).", nameof(files)))];
        string operation = studyInstanceUid is null ? $"STOW-RS of {files.Count} instances" : $"STOW-RS of {files.Count} instances into study {studyInstanceUid}";

        using var content = new MultipartRelatedContent();
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

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint.Studies(studyInstanceUid is null ? "studies" : $"studies/{studyInstanceUid}"))
        {
            Content = content,
        };
        request.Headers.Accept.ParseAdd(DicomJson);
        using HttpResponseMessage response = await SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await DicomWebException.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
        }

        using JsonDocument? document = await ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return StowResponse.Parse(response.StatusCode, document?.RootElement ?? default, uids);
    }
}
