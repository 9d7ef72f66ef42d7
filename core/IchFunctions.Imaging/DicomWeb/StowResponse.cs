using System.Net;
using System.Text.Json;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// Reads a STOW-RS response body (DICOM JSON, PS3.18 section 10.5.3): Referenced SOP Sequence (0008,1199)
/// lists stored instances, optionally with Warning Reason (0008,1196) and Failed Attributes Sequence
/// (0074,1048); Failed SOP Sequence (0008,1198) lists failed ones with Failure Reason (0008,1197). The Azure
/// DICOM service answers 200 when all were stored, 202 when some failed or carry warnings, and 409 when none
/// was stored, with failure reason 45070 for an instance already stored with the same UIDs.
/// </summary>
public static class StowResponse
{
    private const string RetrieveUrl = "00081190";
    private const string FailedSopSequence = "00081198";
    private const string ReferencedSopSequence = "00081199";
    private const string ReferencedSopClassUid = "00081150";
    private const string ReferencedSopInstanceUid = "00081155";
    private const string WarningReason = "00081196";
    private const string FailureReason = "00081197";
    private const string FailedAttributesSequence = "00741048";

    /// <summary>
    /// Returns one result per requested SOP Instance UID, in request order. An instance named in neither
    /// sequence is <see cref="StowInstanceStatus.Missing"/>. Malformed JSON raises <see cref="DicomWebException"/>.
    /// </summary>
    public static StowResult Parse(HttpStatusCode statusCode, JsonElement response, IReadOnlyList<string> requestedSopInstanceUids)
    {
        ArgumentNullException.ThrowIfNull(requestedSopInstanceUids);
        if (response.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new DicomWebException($"The STOW-RS response is a JSON {response.ValueKind}, not a DICOM JSON object.", statusCode);
        }

        var byUid = new Dictionary<string, StowInstanceResult>(StringComparer.Ordinal);
        foreach (JsonElement item in Items(response, FailedSopSequence))
        {
            AddItem(byUid, item, failed: true, statusCode);
        }

        // A referenced entry wins over a failed one for the same UID: the instance is in the archive.
        foreach (JsonElement item in Items(response, ReferencedSopSequence))
        {
            AddItem(byUid, item, failed: false, statusCode);
        }

        StowInstanceResult[] results = [.. requestedSopInstanceUids.Select(uid =>
            byUid.GetValueOrDefault(uid) ?? new StowInstanceResult(uid, null, StowInstanceStatus.Missing, null, null, 0, null))];
        return new StowResult(statusCode, results);
    }

    private static void AddItem(Dictionary<string, StowInstanceResult> byUid, JsonElement item, bool failed, HttpStatusCode statusCode)
    {
        string uid = String(item, ReferencedSopInstanceUid)
            ?? throw new DicomWebException("A STOW-RS response item lacks Referenced SOP Instance UID (0008,1155).", statusCode);
        int? failure = Integer(item, FailureReason, statusCode);
        StowInstanceStatus status = !failed ? StowInstanceStatus.Stored
            : failure == StowFailureReasons.AlreadyStored ? StowInstanceStatus.AlreadyStored
            : StowInstanceStatus.Failed;
        Uri? retrieveUrl = String(item, RetrieveUrl) is { } url && Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? parsed : null;
        byUid[uid] = new StowInstanceResult(
            uid, String(item, ReferencedSopClassUid), status, failed ? failure : null, Integer(item, WarningReason, statusCode),
            Items(item, FailedAttributesSequence).Count, retrieveUrl);
    }

    internal static List<JsonElement> Items(JsonElement dataset, string tag) =>
        dataset.ValueKind == JsonValueKind.Object && dataset.TryGetProperty(tag, out JsonElement sequence)
            && sequence.ValueKind == JsonValueKind.Object && sequence.TryGetProperty("Value", out JsonElement items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()] : [];

    private static string? String(JsonElement item, string tag) =>
        FirstValue(item, tag) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Integer(JsonElement item, string tag, HttpStatusCode statusCode)
    {
        if (FirstValue(item, tag) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw new DicomWebException($"A STOW-RS response item has {tag} = {value.GetRawText()}, which is not an integer.", statusCode);
    }

    private static JsonElement? FirstValue(JsonElement item, string tag) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(tag, out JsonElement element) && element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("Value", out JsonElement values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0
            ? values[0] : null;
}
