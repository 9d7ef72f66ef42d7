using System.Globalization;
using System.Text;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;

namespace IchFunctions.Imaging.Tests.DicomWeb;

/// <summary>
/// A change feed served the way the Azure DICOM service (API v2) documents it: <c>GET /v2/changefeed</c> with
/// <c>startTime</c> (inclusive), <c>endTime</c> (exclusive), <c>offset</c> (events of the window to skip) and
/// <c>limit</c> (1 to 200); entries as JSON objects with PascalCase fields; <c>GET /v2/changefeed/latest</c>
/// with the newest entry, or 204 when the feed is empty.
/// </summary>
internal sealed class ChangeFeedService
{
    public const string StudyUid = "1.2.826.0.1.3680043.8.498.1";

    private readonly List<(long Sequence, DateTimeOffset Timestamp)> _events = [];

    /// <summary>Adds <paramref name="count"/> create events one second apart from <paramref name="start"/>.</summary>
    public void AddEvents(int count, DateTimeOffset start)
    {
        for (int index = 0; index < count; index++)
        {
            _events.Add((_events.Count + 1, start.AddSeconds(index)));
        }
    }

    public static string SopUid(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{StudyUid}.2.{sequence}");

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        if (context.Request.Path == "/v2/changefeed/latest")
        {
            if (_events.Count == 0)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            await context.Response.WriteAsync(Entry(_events[^1].Sequence, _events[^1].Timestamp, withMetadata: true));
            return;
        }

        if (context.Request.Path != "/v2/changefeed")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        IQueryCollection query = context.Request.Query;
        DateTimeOffset start = query.TryGetValue("startTime", out var startText) ? DateTimeOffset.Parse(startText!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        DateTimeOffset end = query.TryGetValue("endTime", out var endText) ? DateTimeOffset.Parse(endText!, CultureInfo.InvariantCulture) : DateTimeOffset.MaxValue;
        long offset = query.TryGetValue("offset", out var offsetText) ? long.Parse(offsetText!, CultureInfo.InvariantCulture) : 0;
        int limit = query.TryGetValue("limit", out var limitText) ? int.Parse(limitText!, CultureInfo.InvariantCulture) : 100;
        if (limit is < 1 or > 200)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("""{"error":{"code":"BadRequest","message":"The limit must be between 1 and 200."}}""");
            return;
        }

        bool metadata = !query.TryGetValue("includemetadata", out var metadataText) || bool.Parse(metadataText!);
        var page = _events.Where(item => item.Timestamp >= start && item.Timestamp < end).Skip((int)offset).Take(limit);
        var body = new StringBuilder("[");
        body.AppendJoin(",", page.Select(item => Entry(item.Sequence, item.Timestamp, metadata)));
        body.Append(']');
        await context.Response.WriteAsync(body.ToString());
    }

    /// <summary>One entry in the documented shape; metadata is the instance's DICOM JSON.</summary>
    public static string Entry(long sequence, DateTimeOffset timestamp, bool withMetadata)
    {
        string metadata = withMetadata
            ? $$""", "Metadata": { "00080060": { "vr": "CS", "Value": ["CT"] }, "00080018": { "vr": "UI", "Value": ["{{SopUid(sequence)}}"] } }"""
            : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "Sequence": {{sequence}},
              "StudyInstanceUid": "{{StudyUid}}",
              "SeriesInstanceUid": "{{StudyUid}}.1",
              "SopInstanceUid": "{{SopUid(sequence)}}",
              "Action": "create",
              "Timestamp": "{{timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffff'Z'}}",
              "State": "current"{{metadata}}
            }
            """);
    }

    public static async Task<LocalHttpServer> StartAsync(ChangeFeedService service, CancellationToken cancellationToken) =>
        await LocalHttpServer.StartAsync(service.HandleAsync, cancellationToken);
}
