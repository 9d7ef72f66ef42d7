using System.Net;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Functions.DicomService;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.DicomService;

/// <summary>
/// The registered client with its resilience pipeline and token handler against a local server that responds
/// like the Azure DICOM service: throttling with 429 and Retry-After, outages with 503.
/// </summary>
public sealed class DicomServiceClientTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.5";

    private const string InstanceMetadata = """
        [{ "00080018": { "vr": "UI", "Value": ["1.2.826.0.1.3680043.8.498.5.1.1"] },
           "00080060": { "vr": "CS", "Value": ["CT"] },
           "00100010": { "vr": "PN", "Value": [{ "Alphabetic": "Doe^Jane" }] },
           "00100020": { "vr": "LO", "Value": ["MRN-55501"] } }]
        """;

    [Fact]
    public async Task Search_TooManyRequestsWithRetryAfter_WaitsThenSucceeds()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        int calls = 0;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                return;
            }

            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync(InstanceMetadata, cancellationToken);
        }, cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"));

        IReadOnlyList<DicomDataset> found = await provider.Client().SearchAsync(QidoTarget.Instances(Study), cancellationToken: cancellationToken);

        Assert.Single(found);
        Assert.Equal(2, server.Requests.Count);
        TimeSpan wait = server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt;
        // The server's clock reads the gap between the two requests; 20 ms covers its timer resolution.
        Assert.True(wait >= TimeSpan.FromMilliseconds(980), $"The retry came {wait.TotalMilliseconds:0} ms after the 429, before Retry-After (1 s).");
    }

    [Fact]
    public async Task Search_ServiceUnavailableExhausted_ThrowsWithStatus()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("""{"error":{"code":"ServiceUnavailable","message":"The server is currently unable to receive requests."}}""", cancellationToken);
        }, cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"), new Dictionary<string, string?> { ["DicomService:MaxRetryAttempts"] = "2" });

        var exception = await Assert.ThrowsAsync<DicomWebException>(
            () => provider.Client().SearchAsync(QidoTarget.Series(Study), cancellationToken: cancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Contains("HTTP 503", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"series of study {Study}", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Store_ServiceUnavailableThenOk_ResendsEveryPart()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = [DicomReader.ReadFile(TestData.Require("dcm_qa_ct/GE_head_tilt/03.dcm")), DicomReader.ReadFile(TestData.Require("dcm_qa_ct/GE_head_tilt/04.dcm"))];
        string study = files[0].Dataset.GetString(DicomTags.StudyInstanceUid)!;
        var received = new List<int>();
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            var uids = new List<string>();
            using var reader = new MultipartRelatedReader(context.Request.Body, MultipartContentType.GetBoundary(context.Request.ContentType ?? ""));
            while (await reader.ReadNextPartAsync(context.RequestAborted) is { } part)
            {
                using var buffer = new MemoryStream();
                await part.Body.CopyToAsync(buffer, context.RequestAborted);
                buffer.Position = 0;
                uids.Add(DicomReader.Read(buffer).Dataset.GetString(DicomTags.SopInstanceUid)!);
            }

            lock (received)
            {
                received.Add(uids.Count);
            }

            if (received.Count == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            string items = string.Join(",", uids.Select(uid => $$"""{ "00081155": { "vr": "UI", "Value": ["{{uid}}"] } }"""));
            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync($$"""{ "00081199": { "vr": "SQ", "Value": [{{items}}] } }""", context.RequestAborted);
        }, cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"));

        StowResult result = await provider.Client().StoreAsync(files, study, cancellationToken);

        Assert.True(result.AllStored);
        Assert.Equal([2, 2], received);
    }

    [Fact]
    public async Task Search_CallerCancels_ThrowsOperationCanceled()
    {
        CancellationToken testToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(
            context => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted), testToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(testToken);
        caller.CancelAfter(TimeSpan.FromMilliseconds(300));

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => provider.Client().SearchAsync(QidoTarget.Studies(), cancellationToken: caller.Token));

        Assert.Equal(caller.Token, exception.CancellationToken);
    }

    [Fact]
    public async Task Search_NotFound_IsNotRetried()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }, cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"));

        var exception = await Assert.ThrowsAsync<DicomWebException>(
            () => provider.Client().RetrieveSeriesMetadataAsync(Study, Study + ".1", cancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Retrieve_AttemptTimeoutExhausted_ThrowsTimedOut()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(
            context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted), cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"), new Dictionary<string, string?>
        {
            ["DicomService:MaxRetryAttempts"] = "1",
            ["DicomService:AttemptTimeoutSeconds"] = "1",
        });

        var exception = await Assert.ThrowsAsync<DicomWebException>(
            () => provider.Client().RetrieveStudyMetadataAsync(Study, cancellationToken));

        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Client_WithPartition_UsesPartitionRoutes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync(context.Request.Path.Value!.Contains("changefeed", StringComparison.Ordinal) ? "[]" : InstanceMetadata, cancellationToken);
        }, cancellationToken);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"), new Dictionary<string, string?> { ["DicomService:DataPartition"] = "Microsoft.Default" });
        DicomWebClient client = provider.Client();

        await client.SearchAsync(QidoTarget.Studies(), QidoQuery.All.Where("StudyInstanceUID", Study), cancellationToken);
        await client.RetrieveSeriesMetadataAsync(Study, Study + ".1", cancellationToken);
        await client.ReadChangeFeedPageAsync(new ChangeFeedQuery(), cancellationToken);

        Assert.Equal(
            ["/v2/partitions/Microsoft.Default/studies", $"/v2/partitions/Microsoft.Default/studies/{Study}/series/{Study}.1/metadata", "/v2/changefeed"],
            server.Requests.Select(request => request.Path));
    }

    [Fact]
    public async Task Metadata_WithRetries_LogsNoPatientData()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        int calls = 0;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync(InstanceMetadata, cancellationToken);
        }, cancellationToken);
        var logs = new LogCollector();
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"), logs: logs);

        IReadOnlyList<DicomDataset> metadata = await provider.Client().RetrieveSeriesMetadataAsync(Study, Study + ".1", cancellationToken);
        IReadOnlyList<DicomDataset> found = await provider.Client().SearchAsync(
            QidoTarget.Studies(), QidoQuery.All.Where("PatientName", "Doe^J*").Where("PatientID", "MRN-55501"), cancellationToken);

        Assert.Equal("Doe^Jane", metadata[0].GetString(DicomTags.PatientName));
        Assert.Single(found);
        Assert.Contains(logs.Messages, message => message.Contains("/metadata", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, message => message.Contains("3102", StringComparison.Ordinal) && message.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, message => message.Contains("Doe", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, message => message.Contains("MRN-55501", StringComparison.Ordinal));
    }
}
