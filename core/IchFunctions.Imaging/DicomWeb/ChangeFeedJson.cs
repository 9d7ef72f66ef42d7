using System.Globalization;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Json;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// Reads change feed JSON: an array of entries from <c>/changefeed</c>, or one entry from <c>/changefeed/latest</c>.
/// Property names are matched without regard to case (the service writes them in PascalCase). A missing or
/// malformed required field raises <see cref="DicomWebException"/> naming the field and the entry's sequence.
/// </summary>
public static class ChangeFeedJson
{
    public static IReadOnlyList<ChangeFeedEntry> ReadPage(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DicomWebException($"The change feed returned a JSON {array.ValueKind} where an array of entries was expected.");
        }

        return [.. array.EnumerateArray().Select(ReadEntry)];
    }

    public static ChangeFeedEntry ReadEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new DicomWebException($"The change feed returned a JSON {entry.ValueKind} where an entry object was expected.");
        }

        JsonElement sequenceElement = Required(entry, "Sequence", null);
        if (sequenceElement.ValueKind != JsonValueKind.Number || !sequenceElement.TryGetInt64(out long sequence))
        {
            throw new DicomWebException($"A change feed entry has Sequence {sequenceElement.GetRawText()}, which is not an integer.");
        }

        string action = RequiredString(entry, "Action", sequence);
        string state = RequiredString(entry, "State", sequence);
        string timestamp = RequiredString(entry, "Timestamp", sequence);
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            throw new DicomWebException($"Change feed entry {sequence} has Timestamp '{timestamp}', which is not an ISO 8601 date and time.");
        }

        return new ChangeFeedEntry(
            sequence,
            ParseAction(action, sequence),
            ParseState(state, sequence),
            time,
            RequiredUid(entry, "StudyInstanceUid", sequence),
            RequiredUid(entry, "SeriesInstanceUid", sequence),
            RequiredUid(entry, "SopInstanceUid", sequence))
        {
            PartitionName = Optional(entry, "PartitionName") is { ValueKind: JsonValueKind.String } partition ? partition.GetString() : null,
            Metadata = ReadMetadata(entry, sequence),
        };
    }

    private static DicomDataset? ReadMetadata(JsonElement entry, long sequence)
    {
        if (Optional(entry, "Metadata") is not { ValueKind: JsonValueKind.Object } metadata)
        {
            return null;
        }

        try
        {
            return DicomJsonReader.ReadDataset(metadata);
        }
        catch (DicomJsonException exception)
        {
            throw new DicomWebException($"Change feed entry {sequence} has Metadata that is not valid DICOM JSON: {exception.Message}", exception);
        }
    }

    private static ChangeFeedAction ParseAction(string value, long sequence) => value.ToUpperInvariant() switch
    {
        "CREATE" => ChangeFeedAction.Create,
        "UPDATE" => ChangeFeedAction.Update,
        "DELETE" => ChangeFeedAction.Delete,
        _ => throw new DicomWebException($"Change feed entry {sequence} has Action '{value}'; expected create, update or delete."),
    };

    private static ChangeFeedState ParseState(string value, long sequence) => value.ToUpperInvariant() switch
    {
        "CURRENT" => ChangeFeedState.Current,
        "REPLACED" => ChangeFeedState.Replaced,
        "DELETED" => ChangeFeedState.Deleted,
        _ => throw new DicomWebException($"Change feed entry {sequence} has State '{value}'; expected current, replaced or deleted."),
    };

    private static string RequiredUid(JsonElement entry, string name, long sequence)
    {
        string value = RequiredString(entry, name, sequence);
        if (!DicomUidSyntax.IsValid(value))
        {
            throw new DicomWebException($"Change feed entry {sequence} has {name} '{value}', which is not a valid UID.");
        }

        return value;
    }

    private static string RequiredString(JsonElement entry, string name, long sequence)
    {
        JsonElement element = Required(entry, name, sequence);
        return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text
            ? text
            : throw new DicomWebException($"Change feed entry {sequence} has {name} {element.GetRawText()}, where a non-empty string was expected.");
    }

    private static JsonElement Required(JsonElement entry, string name, long? sequence) =>
        Optional(entry, name) ?? throw new DicomWebException(
            sequence is long number ? $"Change feed entry {number} lacks the {name} field." : $"A change feed entry lacks the {name} field.");

    private static JsonElement? Optional(JsonElement entry, string name)
    {
        foreach (JsonProperty property in entry.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }
}
