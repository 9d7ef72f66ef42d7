using IchFunctions.Dicom;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>Stores output instances in their study with STOW-RS. An instance the server already has counts as stored.</summary>
public static class StowClient
{
    /// <summary>
    /// Stores <paramref name="files"/> into <paramref name="studyInstanceUid"/> on the DICOMweb server at
    /// <paramref name="root"/>; throws <see cref="DicomWebException"/> naming each instance that was not stored.
    /// </summary>
    public static async Task<IReadOnlyList<(string SopInstanceUid, StowInstanceStatus Status)>> StoreAsync(
        HttpClient client, Uri root, string studyInstanceUid, IReadOnlyList<DicomFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(files);
        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");

        var dicomWeb = new DicomWebClient(client, new DicomWebEndpoint(root));
        StowResult result = await dicomWeb.StoreAsync(files, studyInstanceUid, cancellationToken).ConfigureAwait(false);
        result.EnsureAllStored(studyInstanceUid);
        return [.. result.Instances.Select(instance => (instance.SopInstanceUid, instance.Status))];
    }
}
