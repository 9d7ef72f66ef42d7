using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using IchFunctions.Imaging.DicomWeb;

namespace IchFunctions.Functions.Triggers.Events;

/// <summary>
/// Reads DICOM service events from a storage queue message. Event Grid writes either the Event Grid schema
/// or the CloudEvents 1.0 schema, as one event or an array. The message text is base64 or plain JSON,
/// depending on the subscription. All four combinations are accepted.
/// </summary>
public static class DicomEventParser
{
    /// <summary>Partition name the DICOM service reports for instances outside any named partition.</summary>
    public const string DefaultPartitionName = "Microsoft.Default";

    /// <summary>
    /// Parses a message into its DicomImageCreated events. Events of other types are returned in
    /// <paramref name="otherEventTypes"/>, not as errors, because a subscription may carry more types.
    /// Throws <see cref="MalformedEventException"/> naming what is wrong.
    /// </summary>
    public static IReadOnlyList<DicomImageCreated> Parse(string messageText, out IReadOnlyList<string> otherEventTypes)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        BinaryData json = DecodeJson(messageText);
        using JsonDocument document = ParseDocument(json);
        JsonElement first = document.RootElement.ValueKind == JsonValueKind.Array
            ? FirstElement(document.RootElement)
            : document.RootElement;
        if (first.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedEventException($"The message is JSON {first.ValueKind}, not an event object or an array of events.");
        }

        var others = new List<string>();
        IReadOnlyList<DicomImageCreated> events = first.TryGetProperty("specversion", out _)
            ? ParseCloudEvents(json, others)
            : ParseEventGridEvents(json, others);
        otherEventTypes = others;
        return events;
    }

    private static BinaryData DecodeJson(string messageText)
    {
        string trimmed = messageText.Trim();
        if (trimmed.Length == 0)
        {
            throw new MalformedEventException("The message is empty.");
        }

        if (trimmed[0] is '{' or '[')
        {
            return BinaryData.FromString(trimmed);
        }

        byte[] decoded = new byte[trimmed.Length];
        if (!Convert.TryFromBase64String(trimmed, decoded, out int length))
        {
            throw new MalformedEventException($"The message ({trimmed.Length} characters) is neither JSON nor base64.");
        }

        string text = Encoding.UTF8.GetString(decoded, 0, length).Trim();
        if (text.Length == 0 || text[0] is not ('{' or '['))
        {
            throw new MalformedEventException($"The message is base64, but its {length} decoded bytes are not JSON.");
        }

        return BinaryData.FromString(text);
    }

    private static JsonDocument ParseDocument(BinaryData json)
    {
        try
        {
            return JsonDocument.Parse(json.ToMemory());
        }
        catch (JsonException error)
        {
            throw new MalformedEventException($"The message is not valid JSON: {error.Message}", error);
        }
    }

    private static JsonElement FirstElement(JsonElement array)
    {
        JsonElement.ArrayEnumerator items = array.EnumerateArray();
        if (!items.MoveNext())
        {
            throw new MalformedEventException("The message is an empty array of events.");
        }

        return items.Current;
    }

    private static List<DicomImageCreated> ParseEventGridEvents(BinaryData json, List<string> others)
    {
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(json);
        }
        catch (Exception error) when (error is ArgumentException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new MalformedEventException($"The message is not in the Event Grid schema: {error.Message}", error);
        }

        var result = new List<DicomImageCreated>(events.Length);
        foreach (EventGridEvent gridEvent in events)
        {
            if (gridEvent.EventType != SystemEventNames.HealthcareDicomImageCreated)
            {
                others.Add(gridEvent.EventType);
                continue;
            }

            result.Add(ToEvent(gridEvent.Id, gridEvent.EventTime, ReadData(gridEvent.Id, gridEvent.TryGetSystemEventData)));
        }

        return result;
    }

    private static List<DicomImageCreated> ParseCloudEvents(BinaryData json, List<string> others)
    {
        CloudEvent[] events;
        try
        {
            events = CloudEvent.ParseMany(json, skipValidation: false);
        }
        catch (Exception error) when (error is ArgumentException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new MalformedEventException($"The message is not in the CloudEvents 1.0 schema: {error.Message}", error);
        }

        var result = new List<DicomImageCreated>(events.Length);
        foreach (CloudEvent cloudEvent in events)
        {
            if (cloudEvent.Type != SystemEventNames.HealthcareDicomImageCreated)
            {
                others.Add(cloudEvent.Type);
                continue;
            }

            if (cloudEvent.Time is null)
            {
                throw new MalformedEventException($"CloudEvent '{cloudEvent.Id}' has no time attribute; the DICOM service always sets it.");
            }

            result.Add(ToEvent(cloudEvent.Id, cloudEvent.Time.Value, ReadData(cloudEvent.Id, cloudEvent.TryGetSystemEventData)));
        }

        return result;
    }

    private delegate bool SystemDataReader(out object? data);

    private static HealthcareDicomImageCreatedEventData ReadData(string eventId, SystemDataReader read)
    {
        bool recognised;
        object? data;
        try
        {
            recognised = read(out data);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new MalformedEventException($"Event '{eventId}' has unreadable data: {error.Message}", error);
        }

        if (!recognised || data is not HealthcareDicomImageCreatedEventData imageCreated)
        {
            throw new MalformedEventException($"Event '{eventId}' has no DicomImageCreated data.");
        }

        return imageCreated;
    }

    private static DicomImageCreated ToEvent(string eventId, DateTimeOffset time, HealthcareDicomImageCreatedEventData data)
    {
        RequireUid(eventId, "imageStudyInstanceUid", data.ImageStudyInstanceUid);
        RequireUid(eventId, "imageSeriesInstanceUid", data.ImageSeriesInstanceUid);
        RequireUid(eventId, "imageSopInstanceUid", data.ImageSopInstanceUid);
        string? partition = string.IsNullOrEmpty(data.PartitionName) || data.PartitionName == DefaultPartitionName
            ? null
            : data.PartitionName;
        return new DicomImageCreated(eventId, partition, data.ImageStudyInstanceUid, data.ImageSeriesInstanceUid, data.ImageSopInstanceUid, time);
    }

    private static void RequireUid(string eventId, string field, string? value)
    {
        if (!DicomUidSyntax.IsValid(value))
        {
            throw new MalformedEventException(value is null
                ? $"Event '{eventId}' has no data.{field}."
                : $"Event '{eventId}' has data.{field} '{Truncate(value)}', which is not a valid UID.");
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
