using System.Globalization;
using System.Text.Json;

namespace IchFunctions.Functions.Triggers.Sweep.Backfill;

/// <summary>A backfill request body that cannot be used; <see cref="Field"/> names the offending field.</summary>
public sealed class InvalidBackfillRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Reads the body of <c>POST /api/backfill</c>: <c>{"from": "2024-01-01", "to": "2024-01-31", "rerunFailed": false}</c>,
/// dates as yyyy-MM-dd and inclusive.
/// </summary>
public static class BackfillRequestReader
{
    /// <summary>Largest accepted body; a valid one is under 100 bytes.</summary>
    public const int MaxBodyBytes = 4096;

    private const string DateFormat = "yyyy-MM-dd";

    public static async Task<BackfillState> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new MemoryStream();
        await CopyLimitedAsync(body, buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            throw new InvalidBackfillRequestException("body", """The body is empty; send JSON such as {"from": "2024-01-01", "to": "2024-01-31"}.""");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException error)
        {
            throw new InvalidBackfillRequestException("body", $"The body is not valid JSON ({error.Message}).");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static BackfillState Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidBackfillRequestException("body", $"The body is a JSON {root.ValueKind}; send an object with from and to.");
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name is not ("from" or "to" or "rerunFailed"))
            {
                throw new InvalidBackfillRequestException(property.Name, $"Field '{property.Name}' is not known; the fields are from, to and rerunFailed.");
            }
        }

        DateOnly from = ReadDate(root, "from");
        DateOnly to = ReadDate(root, "to");
        if (to < from)
        {
            throw new InvalidBackfillRequestException("to", $"to is {to.ToString(DateFormat, CultureInfo.InvariantCulture)}, before from "
                + $"{from.ToString(DateFormat, CultureInfo.InvariantCulture)}; the range is inclusive, so give the same date twice for one day.");
        }

        bool rerunFailed = false;
        if (root.TryGetProperty("rerunFailed", out JsonElement rerun))
        {
            rerunFailed = rerun.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidBackfillRequestException("rerunFailed", $"rerunFailed is a JSON {rerun.ValueKind}; it must be true or false."),
            };
        }

        return new BackfillState { From = from, To = to, RerunFailed = rerunFailed };
    }

    private static DateOnly ReadDate(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out JsonElement value))
        {
            throw new InvalidBackfillRequestException(field, $"Field '{field}' is missing; give a StudyDate as {DateFormat}.");
        }

        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
        {
            throw new InvalidBackfillRequestException(field, $"Field '{field}' is {value.GetRawText()}, which is not a date as {DateFormat} (for example \"2024-01-31\").");
        }

        return date;
    }

    private static async Task CopyLimitedAsync(Stream source, MemoryStream target, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (target.Length + read > MaxBodyBytes)
            {
                throw new InvalidBackfillRequestException("body", $"The body is longer than {MaxBodyBytes} bytes; a backfill request is a small JSON object.");
            }

            target.Write(chunk, 0, read);
        }
    }
}
