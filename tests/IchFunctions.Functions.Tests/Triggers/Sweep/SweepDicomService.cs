using System.Globalization;
using System.Text;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;

namespace IchFunctions.Functions.Tests.Triggers.Sweep;

/// <summary>
/// The parts of the Azure DICOM service (API v2) a sweep reads, served by a Kestrel double: the change feed
/// (<c>GET /v2/changefeed</c> with startTime inclusive, endTime exclusive, offset and limit 1 to 200; entries
/// as JSON objects with PascalCase fields and lowercase action and state), QIDO-RS series of a study with
/// their Modality, and QIDO-RS studies matched by a StudyDate range.
/// </summary>
internal sealed class SweepDicomService
{
    public static readonly DateTimeOffset FeedStart = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly List<FeedEvent> _events = [];
    private readonly Dictionary<string, Dictionary<string, string>> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _studyDates = new(StringComparer.Ordinal);

    /// <summary>Studies whose series search fails with HTTP 500, to simulate an outage in the middle of a run.</summary>
    public HashSet<string> FailingStudies { get; } = new(StringComparer.Ordinal);

    public static string StudyUid(int number) => string.Create(CultureInfo.InvariantCulture, $"1.2.826.0.1.3680043.8.498.77.{number}");

    /// <summary>
    /// Adds a series of <paramref name="instances"/> instances to the feed, one second apart, stored after
    /// <paramref name="storedAt"/> or else one second after the previous entry counted from <see cref="FeedStart"/>.
    /// </summary>
    public void AddSeries(
        string studyUid, string modality, int instances, DateOnly? studyDate = null, string action = "create", string state = "current", DateTimeOffset? storedAt = null)
    {
        lock (_lock)
        {
            Dictionary<string, string> series = _series.TryGetValue(studyUid, out var known) ? known : _series[studyUid] = new(StringComparer.Ordinal);
            string seriesUid = string.Create(CultureInfo.InvariantCulture, $"{studyUid}.{series.Count + 1}");
            series[seriesUid] = modality;
            _studyDates[studyUid] = studyDate ?? new DateOnly(2024, 1, 1);
            for (int index = 1; index <= instances; index++)
            {
                long sequence = _events.Count + 1;
                DateTimeOffset timestamp = storedAt?.AddSeconds(index) ?? FeedStart.AddSeconds(sequence);
                _events.Add(new FeedEvent(sequence, timestamp, studyUid, seriesUid, $"{seriesUid}.{index}", action, state));
            }
        }
    }

    /// <summary>Sequence number of the newest feed entry of a study.</summary>
    public long LastSequenceOf(string studyUid)
    {
        lock (_lock)
        {
            return _events.Last(item => item.Study == studyUid).Sequence;
        }
    }

    public Task<LocalHttpServer> StartAsync(CancellationToken cancellationToken) => LocalHttpServer.StartAsync(HandleAsync, cancellationToken);

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        string? body;
        lock (_lock)
        {
            body = path switch
            {
                "/v2/changefeed" => ChangeFeedPage(context.Request.Query),
                "/v2/studies" => Studies(context.Request.Query),
                _ when path.StartsWith("/v2/studies/", StringComparison.Ordinal) && path.EndsWith("/series", StringComparison.Ordinal)
                    => Series(path["/v2/studies/".Length..^"/series".Length]),
                _ => null,
            };
        }

        if (body is null)
        {
            context.Response.StatusCode = path.EndsWith("/series", StringComparison.Ordinal) ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = path == "/v2/changefeed" ? "application/json; charset=utf-8" : "application/dicom+json";
        await context.Response.WriteAsync(body);
    }

    private string ChangeFeedPage(IQueryCollection query)
    {
        DateTimeOffset start = query.TryGetValue("startTime", out var startText) ? DateTimeOffset.Parse(startText!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        DateTimeOffset end = query.TryGetValue("endTime", out var endText) ? DateTimeOffset.Parse(endText!, CultureInfo.InvariantCulture) : DateTimeOffset.MaxValue;
        int offset = query.TryGetValue("offset", out var offsetText) ? int.Parse(offsetText!, CultureInfo.InvariantCulture) : 0;
        int limit = query.TryGetValue("limit", out var limitText) ? int.Parse(limitText!, CultureInfo.InvariantCulture) : 100;
        IEnumerable<FeedEvent> page = _events.Where(item => item.Timestamp >= start && item.Timestamp < end).Skip(offset).Take(Math.Clamp(limit, 1, 200));
        return "[" + string.Join(",", page.Select(item => item.ToJson())) + "]";
    }

    private string? Series(string studyUid)
    {
        if (FailingStudies.Contains(studyUid))
        {
            return null;
        }

        IEnumerable<string> series = (_series.GetValueOrDefault(studyUid) ?? []).Select(pair =>
            $$$"""{"0020000D":{"vr":"UI","Value":["{{{studyUid}}}"]},"0020000E":{"vr":"UI","Value":["{{{pair.Key}}}"]},"00080060":{"vr":"CS","Value":["{{{pair.Value}}}"]}}""");
        return "[" + string.Join(",", series) + "]";
    }

    private string Studies(IQueryCollection query)
    {
        string[] range = query["StudyDate"].ToString().Split('-');
        DateOnly from = DateOnly.ParseExact(range[0], "yyyyMMdd", CultureInfo.InvariantCulture);
        DateOnly to = DateOnly.ParseExact(range[1], "yyyyMMdd", CultureInfo.InvariantCulture);
        int offset = query.TryGetValue("offset", out var offsetText) ? int.Parse(offsetText!, CultureInfo.InvariantCulture) : 0;
        int limit = query.TryGetValue("limit", out var limitText) ? int.Parse(limitText!, CultureInfo.InvariantCulture) : 200;
        IEnumerable<string> studies = _studyDates
            .Where(pair => pair.Value >= from && pair.Value <= to)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Skip(offset)
            .Take(limit)
            .Select(pair => StudyJson(pair.Key, pair.Value));
        return "[" + string.Join(",", studies) + "]";
    }

    private string StudyJson(string studyUid, DateOnly studyDate)
    {
        string modalities = string.Join(",", _series[studyUid].Values.Distinct().Select(modality => $"\"{modality}\""));
        return $$$"""{"0020000D":{"vr":"UI","Value":["{{{studyUid}}}"]},"00080020":{"vr":"DA","Value":["{{{studyDate:yyyyMMdd}}}"]},"00080061":{"vr":"CS","Value":[{{{modalities}}}]}}""";
    }

    private sealed record FeedEvent(long Sequence, DateTimeOffset Timestamp, string Study, string Series, string Instance, string Action, string State)
    {
        public string ToJson() => string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "Sequence": {{Sequence}},
              "StudyInstanceUid": "{{Study}}",
              "SeriesInstanceUid": "{{Series}}",
              "SopInstanceUid": "{{Instance}}",
              "Action": "{{Action}}",
              "Timestamp": "{{Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffff'Z'}}",
              "State": "{{State}}"
            }
            """);
    }
}
