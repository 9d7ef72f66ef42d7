using System.Net;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;

namespace IchFunctions.Imaging.Tests.DicomWeb;

/// <summary>
/// Instance retrieval against a local server that behaves like the Azure DICOM service: a single
/// application/dicom part for <c>Accept: application/dicom; transfer-syntax=1.2.840.10008.1.2.1</c>, and 406
/// when it cannot transcode the stored transfer syntax.
/// </summary>
public sealed class RetrieveInstanceTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.9";
    private const string Series = "1.2.826.0.1.3680043.8.498.9.1";

    [Fact]
    public async Task RetrieveInstance_SinglePartServer_StreamsFileInOneRequest()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string path = TestData.Require("dcm_qa_ct/GE_head_tilt/05.dcm");
        byte[] file = await File.ReadAllBytesAsync(path, cancellationToken);
        string sop = DicomReader.ReadFile(path).Dataset.GetString(DicomTags.SopInstanceUid)!;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/dicom; transfer-syntax=1.2.840.10008.1.2.1";
            await context.Response.Body.WriteAsync(file, context.RequestAborted);
        }, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/"), "radiology-1"));

        await using Stream body = await client.RetrieveInstanceAsync(Study, Series, sop, cancellationToken);
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, cancellationToken);

        Assert.Equal(file, copy.ToArray());
        ReceivedRequest request = Assert.Single(server.Requests);
        Assert.Equal($"/v2/partitions/radiology-1/studies/{Study}/series/{Series}/instances/{sop}", request.Path);
        Assert.Equal(DicomWebClient.SinglePartInstanceAccept, request.Header("Accept"));
    }

    [Fact]
    public async Task RetrieveInstance_CannotTranscode406_ThrowsThenStoredSyntaxWorks()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string path = TestData.Require("nema_wg04_ct2/CT2_JPLL");
        byte[] file = await File.ReadAllBytesAsync(path, cancellationToken);
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            if (context.Request.Headers.Accept.ToString().Contains("transfer-syntax=*", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/dicom; transfer-syntax=1.2.840.10008.1.2.4.70";
                await context.Response.Body.WriteAsync(file, context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            await context.Response.WriteAsync("""{"error":{"code":"NotAcceptable","message":"The requested transfer syntax is not supported."}}""", context.RequestAborted);
        }, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveInstanceAsync(Study, Series, "1.2.3.4", cancellationToken));
        await using Stream body = await client.RetrieveInstanceAsync(Study, Series, "1.2.3.4", DicomWebClient.StoredTransferSyntax, cancellationToken);
        DicomFile retrieved = await DicomReader.ReadAsync(body, cancellationToken: cancellationToken);

        Assert.Equal(HttpStatusCode.NotAcceptable, exception.StatusCode);
        Assert.Contains("1.2.3.4", exception.Message, StringComparison.Ordinal);
        Assert.Equal(TransferSyntaxUids.JpegLosslessSV1, retrieved.TransferSyntaxUid);
    }

    [Fact]
    public async Task RetrieveInstance_UnexpectedContentType_ThrowsNamingIt()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>sign in</html>", context.RequestAborted);
        }, cancellationToken);
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveInstanceAsync(Study, Series, "1.2.3.4", cancellationToken));

        Assert.Contains("Content-Type 'text/html'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnreachableServer_ThrowsNamingHost()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string root;
        await using (LocalHttpServer stopped = await LocalHttpServer.StartAsync(_ => Task.CompletedTask, cancellationToken))
        {
            root = stopped.Root.AbsoluteUri;
        }

        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(root)));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchAsync(QidoTarget.Studies(), cancellationToken: cancellationToken));

        Assert.Contains("could not be reached", exception.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(root).Authority, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad partition!")]
    [InlineData("a/b")]
    public void Endpoint_InvalidPartition_ThrowsNamingIt(string partition)
    {
        var exception = Assert.Throws<ArgumentException>(() => new DicomWebEndpoint(new Uri("https://dicom.example/v2/"), partition));

        Assert.Contains($"'{partition}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QidoQuery_MatchesAndPaging_BuildsEscapedQueryString()
    {
        QidoQuery query = QidoQuery.All.Where("ModalitiesInStudy", "CT").Where("StudyDate", "20260101-20261231").Include("0020000E", "SeriesDescription")
            with { Limit = 50, Offset = 100 };

        Assert.Equal("?ModalitiesInStudy=CT&StudyDate=20260101-20261231&includefield=0020000E&includefield=SeriesDescription&limit=50&offset=100", query.ToQueryString());
        Assert.Equal("", QidoQuery.All.ToQueryString());
        Assert.Equal("?PatientName=Doe%5EJ%2A", QidoQuery.All.Where("PatientName", "Doe^J*").ToQueryString());
    }
}
