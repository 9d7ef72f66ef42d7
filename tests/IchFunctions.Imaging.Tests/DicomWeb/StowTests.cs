using System.Net;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;

namespace IchFunctions.Imaging.Tests.DicomWeb;

/// <summary>
/// STOW-RS against a local server that reads the request's parts as DICOM and answers with bodies shaped like
/// the Azure DICOM service's documented responses: 200 with Referenced SOP Sequence, 202 with a warning and a
/// failure, 409 with Failure Reason 45070 (already stored) or 45071.
/// </summary>
public sealed class StowTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.77";

    [Fact]
    public async Task Store_AllStored200_ReturnsStoredWithRetrieveUrls()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(uids => (200, Response(Referenced(uids[0], retrieveUrl: true), Referenced(uids[1], retrieveUrl: true))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.True(result.AllStored);
        Assert.Equal(files.Select(Uid), result.Instances.Select(instance => instance.SopInstanceUid));
        Assert.All(result.Instances, instance => Assert.Equal(StowInstanceStatus.Stored, instance.Status));
        Assert.Equal(new Uri($"https://dicom.example/v2/studies/{Study}/series/1.2/instances/{Uid(files[0])}"), result.Instances[0].RetrieveUrl);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", result.Instances[0].SopClassUid);
        ReceivedRequest request = Assert.Single(server.Requests);
        Assert.Equal($"/v2/studies/{Study}", request.Path);
        Assert.Equal("application/dicom+json", request.Header("Accept"));
    }

    [Fact]
    public async Task Store_Partial202_ReadsWarningAndFailure()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(
            uids => (202, Response(Referenced(uids[0], retrieveUrl: true, warning: true), Failed(uids[1], 43265))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, result.StatusCode);
        Assert.False(result.AllStored);
        Assert.Equal(StowInstanceStatus.Stored, result.Instances[0].Status);
        Assert.Equal(1, result.Instances[0].WarningReason);
        Assert.Equal(2, result.Instances[0].FailedAttributeCount);
        Assert.Equal(StowInstanceStatus.Failed, result.Instances[1].Status);
        Assert.Equal(StowFailureReasons.StudyUidMismatch, result.Instances[1].FailureReason);
        var exception = Assert.Throws<DicomWebException>(() => result.EnsureAllStored(Study));
        Assert.Contains($"{Uid(files[1])} failed with reason 43265", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Uid(files[0]), exception.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, exception.StatusCode);
    }

    [Fact]
    public async Task Store_Conflict409With45070_CountsAsStored()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(uids => (409, Response(Failed(uids[0], 45070), Failed(uids[1], 45070))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, result.StatusCode);
        Assert.All(result.Instances, instance => Assert.Equal(StowInstanceStatus.AlreadyStored, instance.Status));
        Assert.All(result.Instances, instance => Assert.Equal(45070, instance.FailureReason));
        Assert.True(result.AllStored);
        result.EnsureAllStored(Study);
    }

    [Fact]
    public async Task Store_Conflict409With45071_IsFailure()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(uids => (409, Response(Failed(uids[0], 45070), Failed(uids[1], 45071))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.Equal(StowInstanceStatus.AlreadyStored, result.Instances[0].Status);
        Assert.Equal(StowInstanceStatus.Failed, result.Instances[1].Status);
        var exception = Assert.Throws<DicomWebException>(() => result.EnsureAllStored(Study));
        Assert.Contains("45071", exception.Message, StringComparison.Ordinal);
        Assert.Contains("retry later", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_InstanceMissingFromResponse_IsMissing()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(uids => (200, Response(Referenced(uids[0], retrieveUrl: false))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.Equal(StowInstanceStatus.Missing, result.Instances[1].Status);
        var exception = Assert.Throws<DicomWebException>(() => result.EnsureAllStored(Study));
        Assert.Contains($"{Uid(files[1])} is not named in the response", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_WithPartition_PostsUnderPartitionRoute()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(uids => (200, Response(Referenced(uids[0], true), Referenced(uids[1], true))), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/"), "radiology-1"));

        StowResult result = await client.StoreAsync(files, Study, cancellationToken);

        Assert.True(result.AllStored);
        Assert.Equal($"/v2/partitions/radiology-1/studies/{Study}", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task Store_BadRequest400_ThrowsWithStatus()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile[] files = ReadSlices();
        await using LocalHttpServer server = await StartAsync(
            _ => (400, """{"error":{"code":"BadRequest","message":"The specified study instance UID is invalid."}}"""), cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.StoreAsync(files, Study, cancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Contains("HTTP 400", exception.Message, StringComparison.Ordinal);
        Assert.Contains(Study, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts a server that checks each part is a DICOM file and answers with the status and body built from the received SOP Instance UIDs.</summary>
    private static Task<LocalHttpServer> StartAsync(Func<IReadOnlyList<string>, (int Status, string Body)> respond, CancellationToken cancellationToken) =>
        LocalHttpServer.StartAsync(async context =>
        {
            var uids = new List<string>();
            string boundary = MultipartContentType.GetBoundary(context.Request.ContentType ?? "");
            using var reader = new MultipartRelatedReader(context.Request.Body, boundary);
            while (await reader.ReadNextPartAsync(context.RequestAborted) is { } part)
            {
                using var buffer = new MemoryStream();
                await part.Body.CopyToAsync(buffer, context.RequestAborted);
                buffer.Position = 0;
                uids.Add(DicomReader.Read(buffer).Dataset.GetString(DicomTags.SopInstanceUid)!);
            }

            (int status, string body) = respond(uids);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }, cancellationToken);

    private static DicomFile[] ReadSlices() =>
        [DicomReader.ReadFile(TestData.Require("dcm_qa_ct/GE_head_tilt/01.dcm")), DicomReader.ReadFile(TestData.Require("dcm_qa_ct/GE_head_tilt/02.dcm"))];

    private static string Uid(DicomFile file) => file.Dataset.GetString(DicomTags.SopInstanceUid)!;

    private static string Response(params (bool Failed, string Item)[] items)
    {
        string referenced = string.Join(",", items.Where(item => !item.Failed).Select(item => item.Item));
        string failed = string.Join(",", items.Where(item => item.Failed).Select(item => item.Item));
        var parts = new List<string> { $$"""  "00081190": { "vr": "UR", "Value": ["https://dicom.example/v2/studies/{{Study}}"] }""" };
        if (failed.Length > 0)
        {
            parts.Add($$"""  "00081198": { "vr": "SQ", "Value": [{{failed}}] }""");
        }

        if (referenced.Length > 0)
        {
            parts.Add($$"""  "00081199": { "vr": "SQ", "Value": [{{referenced}}] }""");
        }

        return "{\n" + string.Join(",\n", parts) + "\n}";
    }

    private static (bool, string) Referenced(string uid, bool retrieveUrl, bool warning = false)
    {
        string url = retrieveUrl ? $$""", "00081190": { "vr": "UR", "Value": ["https://dicom.example/v2/studies/{{Study}}/series/1.2/instances/{{uid}}"] }""" : "";
        string warnings = warning
            ? """
              , "00081196": { "vr": "US", "Value": [1] },
              "00741048": { "vr": "SQ", "Value": [
                { "00000902": { "vr": "LO", "Value": ["DICOM100: (0008,0020) - Content \"NotAValidDate\" does not validate VR DA"] } },
                { "00000902": { "vr": "LO", "Value": ["DICOM100: (0008,002a) - Content \"NotAValidDate\" does not validate VR DT"] } } ] }
              """
            : "";
        return (false, $$"""{ "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"] }, "00081155": { "vr": "UI", "Value": ["{{uid}}"] }{{url}}{{warnings}} }""");
    }

    private static (bool, string) Failed(string uid, int reason) =>
        (true, $$"""{ "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"] }, "00081155": { "vr": "UI", "Value": ["{{uid}}"] }, "00081197": { "vr": "US", "Value": [{{reason}}] } }""");
}
