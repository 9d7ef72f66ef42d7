using System.Net.Http.Headers;
using System.Text;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Dicom.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace IchFunctions.Dicom.Tests.Multipart;

public sealed class MultipartRelatedTests
{
    private static readonly string[] Files = ["dcm_qa_ct/GE_head_tilt/01.dcm", "nema_wg04_ct2/CT2_JPLL", "other/pydicom/rtplan.dcm"];

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(70000)]
    public async Task WriteThenRead_RealFiles_BytesIdentical(int chunkSize)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        byte[][] sources = [.. Files.Select(file => File.ReadAllBytes(TestFiles.Require(file)))];
        string boundary = MultipartContentType.NewBoundary();
        using var body = new MemoryStream();
        var writer = new MultipartRelatedWriter(body, boundary);
        foreach (byte[] source in sources)
        {
            await writer.WritePartAsync("application/dicom", new MemoryStream(source), cancellationToken: cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);

        using var reader = new MultipartRelatedReader(new ChunkedStream(body.ToArray(), chunkSize), boundary);
        foreach (byte[] source in sources)
        {
            MultipartPart part = (await reader.ReadNextPartAsync(cancellationToken))!;
            using var copy = new MemoryStream();
            await part.Body.CopyToAsync(copy, cancellationToken);
            Assert.Equal("application/dicom", part.ContentType);
            Assert.Equal(source, copy.ToArray());
        }

        Assert.Null(await reader.ReadNextPartAsync(cancellationToken));
    }

    [Fact]
    public async Task Write_RealFiles_ReadableByAspNetCore()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        byte[] source = await File.ReadAllBytesAsync(TestFiles.Require(Files[0]), cancellationToken);
        using var content = new MultipartRelatedContent();
        content.Add("application/dicom", _ => Task.FromResult<Stream>(new MemoryStream(source)));
        content.Add("application/dicom", _ => Task.FromResult<Stream>(new MemoryStream(source)));
        byte[] body = await content.ReadAsByteArrayAsync(cancellationToken);

        string boundary = MultipartContentType.GetBoundary(content.Headers.ContentType!.ToString());
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        int parts = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            using var copy = new MemoryStream();
            await section.Body.CopyToAsync(copy, cancellationToken);
            Assert.Equal(source, copy.ToArray());
            parts++;
        }

        Assert.Equal(2, parts);
        Assert.Contains("type=\"application/dicom\"", content.Headers.ContentType.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HttpClientMultipart_WithPreambleAndHeaders()
    {
        using var content = new MultipartContent("related", "simple-boundary");
        var first = new ByteArrayContent(Encoding.ASCII.GetBytes("first\r\n--simple-boundar"));
        first.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        first.Headers.Add("Content-Location", "/bulk/1");
        content.Add(first);
        content.Add(new ByteArrayContent([]));
        byte[] multipart = await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        byte[] body = [.. Encoding.ASCII.GetBytes("preamble text\r\n"), .. multipart];

        using var reader = new MultipartRelatedReader(new MemoryStream(body), "simple-boundary");
        MultipartPart part = reader.ReadNextPart()!;
        using var copy = new MemoryStream();
        part.Body.CopyTo(copy);
        MultipartPart empty = reader.ReadNextPart()!;

        Assert.Equal("first\r\n--simple-boundar", Encoding.ASCII.GetString(copy.ToArray()));
        Assert.Equal("/bulk/1", part.Headers["content-location"]);
        Assert.Equal(0, empty.Body.Read(new byte[10]));
        Assert.Null(reader.ReadNextPart());
    }

    [Fact]
    public void Read_LargeBody_AllocatesOnlyItsBuffer()
    {
        // 16 parts of 4 MiB come from a generated stream, so the body never exists in memory as a whole.
        const int parts = 16;
        const int partLength = 4 * 1024 * 1024;
        using var body = new GeneratedMultipartStream("gen-boundary", parts, partLength);
        byte[] chunk = new byte[81920];
        long total = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var reader = new MultipartRelatedReader(body, "gen-boundary"))
        {
            while (reader.ReadNextPart() is { } part)
            {
                int read;
                while ((read = part.Body.Read(chunk)) > 0)
                {
                    total += read;
                }
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((long)parts * partLength, total);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes to read {total} bytes");
    }

    [Fact]
    public async Task Read_MissingCloseDelimiter_RaisesFormatError()
    {
        byte[] body = "--b\r\nContent-Type: application/dicom\r\n\r\nabc"u8.ToArray();
        using var reader = new MultipartRelatedReader(new MemoryStream(body), "b");
        MultipartPart part = (await reader.ReadNextPartAsync(TestContext.Current.CancellationToken))!;

        MultipartFormatException error = await Assert.ThrowsAsync<MultipartFormatException>(
            async () => await part.Body.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));

        Assert.Contains("closing boundary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_EndlessHeaders_RaisesFormatError()
    {
        byte[] body = [.. "--b\r\n"u8, .. Enumerable.Repeat((byte)'x', 40000)];
        using var reader = new MultipartRelatedReader(new MemoryStream(body), "b");

        await Assert.ThrowsAsync<MultipartFormatException>(async () => await reader.ReadNextPartAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("application/dicom")]
    [InlineData("multipart/related; type=\"application/dicom\"")]
    public void GetBoundary_NoBoundary_RaisesFormatError(string contentType)
    {
        Assert.Throws<MultipartFormatException>(() => MultipartContentType.GetBoundary(contentType));
    }

    [Fact]
    public void GetBoundary_QuotedBoundary_Unquoted()
    {
        Assert.Equal("abc 1", MultipartContentType.GetBoundary("multipart/related; type=\"application/dicom\"; boundary=\"abc 1\""));
    }
}
