using System.Text.Json;
using System.Text.RegularExpressions;
using IchFunctions.Imaging.DicomWeb;

namespace IchFunctions.Functions.Triggers.Http;

/// <summary>
/// Reads and validates the JSON body of <c>POST /api/score</c>. Every failure names the field, the
/// offending value where it is short, and the rule, so a caller can fix the request from the message alone.
/// </summary>
public static partial class ScoreRequestReader
{
    /// <summary>Largest accepted body in bytes; a valid body is well under 1 KB.</summary>
    public const int MaxBodyBytes = 4096;

    public const string StudyField = "studyInstanceUid";
    public const string SeriesField = "seriesInstanceUid";
    public const string PartitionField = "dataPartition";
    public const string OperatingPointField = "operatingPoint";
    public const string ForceField = "force";

    private static readonly string[] KnownFields = [StudyField, SeriesField, PartitionField, OperatingPointField, ForceField];

    public static async Task<ScoreRequestBody> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength > MaxBodyBytes)
        {
            throw new InvalidRequestException("body", $"The body is {contentLength} bytes; at most {MaxBodyBytes} are accepted.");
        }

        byte[] buffer = new byte[MaxBodyBytes + 1];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            throw new InvalidRequestException("body", $"The body is longer than {MaxBodyBytes} bytes.");
        }

        return Parse(buffer.AsSpan(0, length));
    }

    public static ScoreRequestBody Parse(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            throw new InvalidRequestException("body", $"The body is empty; send a JSON object with at least {StudyField}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException error)
        {
            throw new InvalidRequestException("body", $"The body is not valid JSON: {error.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidRequestException("body", $"The body is a JSON {root.ValueKind}; send a JSON object.");
            }

            CheckFieldNames(root);
            return new ScoreRequestBody
            {
                StudyInstanceUid = ReadUid(root, StudyField, required: true)!,
                SeriesInstanceUid = ReadUid(root, SeriesField, required: false),
                DataPartition = ReadName(root, PartitionField, "a data partition name"),
                OperatingPoint = ReadName(root, OperatingPointField, "an operating point name from the model contract"),
                Force = ReadBoolean(root, ForceField),
            };
        }
    }

    private static void CheckFieldNames(JsonElement root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new InvalidRequestException(property.Name,
                    $"Field '{Shorten(property.Name)}' is not known; the accepted fields are {string.Join(", ", KnownFields)} (names are case-sensitive).");
            }

            if (!seen.Add(property.Name))
            {
                throw new InvalidRequestException(property.Name, $"Field '{property.Name}' appears more than once.");
            }
        }
    }

    private static string? ReadUid(JsonElement root, string field, bool required)
    {
        string? value = ReadString(root, field);
        if (value is null)
        {
            return required ? throw new InvalidRequestException(field, $"Field '{field}' is required: the UID of the study to score.") : null;
        }

        if (!DicomUidSyntax.IsValid(value))
        {
            throw new InvalidRequestException(field,
                $"Field '{field}' is '{Shorten(value)}', which is not a valid UID: digits in dot-separated components without leading zeros, at most 64 characters.");
        }

        return value;
    }

    private static string? ReadName(JsonElement root, string field, string what)
    {
        string? value = ReadString(root, field);
        if (value is not null && !NamePattern().IsMatch(value))
        {
            throw new InvalidRequestException(field,
                $"Field '{field}' is '{Shorten(value)}', which is not {what}: 1 to 64 letters, digits, '.', '-' or '_'.");
        }

        return value;
    }

    private static string? ReadString(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidRequestException(field, $"Field '{field}' is a JSON {value.ValueKind}; it must be a string.");
        }

        return value.GetString();
    }

    private static bool ReadBoolean(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidRequestException(field, $"Field '{field}' is a JSON {value.ValueKind}; it must be true or false."),
        };
    }

    private static string Shorten(string value) => value.Length <= 70 ? value : value[..70] + "...";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
