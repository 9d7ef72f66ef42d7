using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>The two schemas Event Grid can deliver to a storage queue.</summary>
public enum EventSchema
{
    EventGrid,
    CloudEvents,
}

/// <summary>
/// DicomImageCreated queue messages shaped like the DICOM service's documented events
/// (Microsoft.HealthcareApis.DicomImageCreated, data version 1), in either schema and encoding.
/// </summary>
public static class DicomEventMessages
{
    public const string EventType = "Microsoft.HealthcareApis.DicomImageCreated";
    private const string Host = "contoso-dicom.dicom.azurehealthcareapis.com";
    private const string Source = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/contoso";

    public static string ImageCreated(
        EventSchema schema, bool base64, string study, string series, string sop,
        DateTimeOffset time, string partition = "Microsoft.Default", long sequence = 1, string? eventId = null)
    {
        eventId ??= Guid.NewGuid().ToString();
        var data = new Dictionary<string, object>
        {
            ["partitionName"] = partition,
            ["imageStudyInstanceUid"] = study,
            ["imageSeriesInstanceUid"] = series,
            ["imageSopInstanceUid"] = sop,
            ["serviceHostName"] = Host,
            ["sequenceNumber"] = sequence,
        };
        string subject = $"{Host}/v2/studies/{study}/series/{series}/instances/{sop}";
        string timeText = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        object message = schema == EventSchema.EventGrid
            ? new Dictionary<string, object>
            {
                ["id"] = eventId,
                ["topic"] = Source,
                ["subject"] = subject,
                ["data"] = data,
                ["eventType"] = EventType,
                ["dataVersion"] = "1",
                ["metadataVersion"] = "1",
                ["eventTime"] = timeText,
            }
            : new Dictionary<string, object>
            {
                ["source"] = Source,
                ["subject"] = subject,
                ["type"] = EventType,
                ["time"] = timeText,
                ["id"] = eventId,
                ["data"] = data,
                ["specversion"] = "1.0",
            };
        string json = JsonSerializer.Serialize(message);
        return base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json;
    }
}
