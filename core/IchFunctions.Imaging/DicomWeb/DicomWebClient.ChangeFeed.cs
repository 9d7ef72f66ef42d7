using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IchFunctions.Imaging.DicomWeb;

public sealed partial class DicomWebClient
{
    /// <summary>
    /// Reads one page of the v2 change feed (<c>GET {base}/changefeed</c>, at the base URL also when a data
    /// partition is set: the feed covers every partition).
    /// </summary>
    public async Task<IReadOnlyList<ChangeFeedEntry>> ReadChangeFeedPageAsync(ChangeFeedQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var parameters = new List<string>();
        if (query.StartTime is { } start)
        {
            parameters.Add("startTime=" + FormatTime(start));
        }

        if (query.EndTime is { } end)
        {
            parameters.Add("endTime=" + FormatTime(end));
        }

        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"offset={query.Offset}"));
        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"limit={query.Limit}"));
        parameters.Add("includemetadata=" + (query.IncludeMetadata ? "true" : "false"));

        string operation = string.Create(CultureInfo.InvariantCulture, $"Change feed read at offset {query.Offset}");
        Uri uri = Endpoint.Service("changefeed?" + string.Join('&', parameters));
        using HttpResponseMessage response = await GetAsync(uri, "application/json", operation, cancellationToken).ConfigureAwait(false);
        using JsonDocument? document = await ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return document is null ? [] : ChangeFeedJson.ReadPage(document.RootElement);
    }

    /// <summary>
    /// Reads every change feed event with <c>startTime &lt;= Timestamp &lt; endTime</c>, page by page: the offset
    /// grows by each page's length until a page is shorter than <paramref name="pageSize"/>. Give an end time
    /// in the past for a stable window; events that arrive while an open window is read may be returned or not.
    /// </summary>
    public async IAsyncEnumerable<ChangeFeedEntry> ReadChangeFeedAsync(
        DateTimeOffset? startTime,
        DateTimeOffset? endTime,
        int pageSize = ChangeFeedQuery.DefaultLimit,
        bool includeMetadata = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new ChangeFeedQuery { StartTime = startTime, EndTime = endTime, Limit = pageSize, IncludeMetadata = includeMetadata };
        query.Validate();
        while (true)
        {
            IReadOnlyList<ChangeFeedEntry> page = await ReadChangeFeedPageAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (ChangeFeedEntry entry in page)
            {
                yield return entry;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            query = query with { Offset = query.Offset + page.Count };
        }
    }

    /// <summary>Reads the newest change feed event (<c>GET {base}/changefeed/latest</c>); null when the feed is empty.</summary>
    public async Task<ChangeFeedEntry?> ReadLatestChangeAsync(bool includeMetadata = false, CancellationToken cancellationToken = default)
    {
        const string operation = "Change feed read of the latest entry";
        Uri uri = Endpoint.Service("changefeed/latest?includemetadata=" + (includeMetadata ? "true" : "false"));
        using HttpResponseMessage response = await GetAsync(uri, "application/json", operation, cancellationToken).ConfigureAwait(false);
        using JsonDocument? document = await ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return document is null ? null : ChangeFeedJson.ReadEntry(document.RootElement);
    }

    /// <summary>Formats a time as ISO 8601 in UTC with seven fractional digits, URL-escaped.</summary>
    private static string FormatTime(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
}
