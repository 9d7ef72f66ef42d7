using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.DicomWeb;

public sealed class ChangeFeedReadTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 10, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadChangeFeed_WindowOverThreePages_ReturnsEveryEntryOnce()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(250, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        List<ChangeFeedEntry> entries = await client.ReadChangeFeedAsync(Start, Start.AddHours(1), pageSize: 100, cancellationToken: cancellationToken)
            .ToListAsync(cancellationToken);

        Assert.Equal(Enumerable.Range(1, 250).Select(number => (long)number), entries.Select(entry => entry.Sequence));
        Assert.Equal(["0", "100", "200"], server.Requests.Select(request => QueryValue(request, "offset")));
        Assert.All(server.Requests, request => Assert.Equal("100", QueryValue(request, "limit")));
        Assert.All(server.Requests, request => Assert.Equal("2026-05-10T16:00:00.0000000Z", QueryValue(request, "startTime")));
        Assert.All(server.Requests, request => Assert.Equal("2026-05-10T17:00:00.0000000Z", QueryValue(request, "endTime")));
        Assert.All(server.Requests, request => Assert.Equal("false", QueryValue(request, "includemetadata")));
    }

    [Fact]
    public async Task ReadChangeFeed_FullLastPage_ReadsOneEmptyPageMore()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(200, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        List<ChangeFeedEntry> entries = await client.ReadChangeFeedAsync(null, Start.AddHours(1), pageSize: 100, cancellationToken: cancellationToken)
            .ToListAsync(cancellationToken);

        Assert.Equal(200, entries.Count);
        Assert.Equal(["0", "100", "200"], server.Requests.Select(request => QueryValue(request, "offset")));
        Assert.All(server.Requests, request => Assert.Null(QueryValue(request, "startTime")));
    }

    [Fact]
    public async Task ReadChangeFeed_AdjacentWindows_SplitEntriesWithoutOverlap()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(150, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));
        DateTimeOffset middle = Start.AddSeconds(70);

        List<ChangeFeedEntry> first = await client.ReadChangeFeedAsync(Start, middle, pageSize: 50, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        List<ChangeFeedEntry> second = await client.ReadChangeFeedAsync(middle, Start.AddHours(1), pageSize: 50, cancellationToken: cancellationToken).ToListAsync(cancellationToken);

        Assert.Equal(70, first.Count);
        Assert.Equal(80, second.Count);
        Assert.All(first, entry => Assert.True(entry.Timestamp < middle));
        Assert.Equal(71, second[0].Sequence);
    }

    [Fact]
    public async Task ReadChangeFeed_DocumentedEntry_ReadsEveryField()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(3, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        IReadOnlyList<ChangeFeedEntry> page = await client.ReadChangeFeedPageAsync(
            new ChangeFeedQuery { StartTime = Start, Offset = 1, Limit = 1, IncludeMetadata = true }, cancellationToken);

        ChangeFeedEntry entry = Assert.Single(page);
        Assert.Equal(2, entry.Sequence);
        Assert.Equal(ChangeFeedAction.Create, entry.Action);
        Assert.Equal(ChangeFeedState.Current, entry.State);
        Assert.Equal(Start.AddSeconds(1), entry.Timestamp);
        Assert.Equal(ChangeFeedService.StudyUid, entry.StudyInstanceUid);
        Assert.Equal(ChangeFeedService.StudyUid + ".1", entry.SeriesInstanceUid);
        Assert.Equal(ChangeFeedService.SopUid(2), entry.SopInstanceUid);
        Assert.Null(entry.PartitionName);
        Assert.Equal("CT", entry.Metadata?.GetString(DicomTags.Modality));
    }

    [Fact]
    public async Task ReadLatestChange_Entries_ReturnsNewest()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(5, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        ChangeFeedEntry? latest = await client.ReadLatestChangeAsync(cancellationToken: cancellationToken);

        Assert.Equal(5, latest?.Sequence);
        Assert.Equal("/v2/changefeed/latest", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task ReadLatestChange_EmptyFeed_ReturnsNull()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(new ChangeFeedService(), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        Assert.Null(await client.ReadLatestChangeAsync(cancellationToken: cancellationToken));
    }

    [Fact]
    public async Task ReadChangeFeed_WithPartition_StaysAtBaseUrl()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var service = new ChangeFeedService();
        service.AddEvents(2, Start);
        await using LocalHttpServer server = await ChangeFeedService.StartAsync(service, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2"), "radiology-1"));

        List<ChangeFeedEntry> entries = await client.ReadChangeFeedAsync(Start, null, cancellationToken: cancellationToken).ToListAsync(cancellationToken);

        Assert.Equal(2, entries.Count);
        Assert.Equal("/v2/changefeed", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task ReadChangeFeed_LimitAbove200_ThrowsBeforeSending()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri("http://127.0.0.1:9/v2/")));

        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await client.ReadChangeFeedAsync(null, null, pageSize: 201, cancellationToken: cancellationToken).ToListAsync(cancellationToken));

        Assert.Contains("between 1 and 200", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Sequence": 7, "StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3", "SopInstanceUid": "1.2.3.4", "Action": "copy", "Timestamp": "2026-01-01T00:00:00Z", "State": "current"}""", "Action 'copy'")]
    [InlineData("""{"Sequence": 7, "StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3", "SopInstanceUid": "1.2.3.4", "Action": "create", "Timestamp": "2026-01-01T00:00:00Z", "State": "archived"}""", "State 'archived'")]
    [InlineData("""{"StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3", "SopInstanceUid": "1.2.3.4", "Action": "create", "Timestamp": "2026-01-01T00:00:00Z", "State": "current"}""", "lacks the Sequence field")]
    [InlineData("""{"Sequence": 7, "StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3", "Action": "create", "Timestamp": "2026-01-01T00:00:00Z", "State": "current"}""", "entry 7 lacks the SopInstanceUid field")]
    [InlineData("""{"Sequence": 7, "StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3", "SopInstanceUid": "1.2.3.4", "Action": "create", "Timestamp": "yesterday", "State": "current"}""", "Timestamp 'yesterday'")]
    [InlineData("""{"Sequence": 7, "StudyInstanceUid": "1.02", "SeriesInstanceUid": "1.2.3", "SopInstanceUid": "1.2.3.4", "Action": "create", "Timestamp": "2026-01-01T00:00:00Z", "State": "current"}""", "StudyInstanceUid '1.02'")]
    public void ReadEntry_InvalidField_NamesFieldAndValue(string json, string expected)
    {
        using JsonDocument document = JsonDocument.Parse(json);

        var exception = Assert.Throws<DicomWebException>(() => ChangeFeedJson.ReadEntry(document.RootElement));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEntry_PartitionAndDeletedState_ReadsThem()
    {
        using JsonDocument document = JsonDocument.Parse("""
            {"Sequence": 9, "PartitionName": "Microsoft.Default", "StudyInstanceUid": "1.2", "SeriesInstanceUid": "1.2.3",
             "SopInstanceUid": "1.2.3.4", "Action": "delete", "Timestamp": "2020-03-05T07:13:16.4834Z", "State": "deleted", "Metadata": null}
            """);

        ChangeFeedEntry entry = ChangeFeedJson.ReadEntry(document.RootElement);

        Assert.Equal("Microsoft.Default", entry.PartitionName);
        Assert.Equal(ChangeFeedAction.Delete, entry.Action);
        Assert.Equal(ChangeFeedState.Deleted, entry.State);
        Assert.Equal(new DateTimeOffset(2020, 3, 5, 7, 13, 16, 483, TimeSpan.Zero).AddTicks(4000), entry.Timestamp);
        Assert.Null(entry.Metadata);
    }

    private static string? QueryValue(ReceivedRequest request, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Query.Value).TryGetValue(name, out var value) ? value.ToString() : null;
}
