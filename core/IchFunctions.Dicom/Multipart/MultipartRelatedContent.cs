using System.Net;
using System.Net.Http.Headers;

namespace IchFunctions.Dicom.Multipart;

/// <summary>
/// An <see cref="HttpContent"/> for STOW-RS requests: a multipart/related body whose parts are opened one at
/// a time while the request is sent, so files are streamed from disk instead of buffered.
/// </summary>
public sealed class MultipartRelatedContent : HttpContent
{
    private readonly string _boundary;
    private readonly List<(string ContentType, Func<CancellationToken, Task<Stream>> Open)> _parts = [];

    public MultipartRelatedContent(string partType = "application/dicom", string? boundary = null)
    {
        _boundary = boundary ?? MultipartContentType.NewBoundary();
        Headers.ContentType = MediaTypeHeaderValue.Parse(MultipartContentType.Create(_boundary, partType));
    }

    /// <summary>Adds a part whose content stream is opened when the part is sent and disposed after it.</summary>
    public void Add(string contentType, Func<CancellationToken, Task<Stream>> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        ArgumentNullException.ThrowIfNull(open);
        _parts.Add((contentType, open));
    }

    /// <summary>Adds a file as an application/dicom part.</summary>
    public void AddFile(string path, string contentType = "application/dicom")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Add(contentType, _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)));
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var writer = new MultipartRelatedWriter(stream, _boundary);
        foreach ((string contentType, Func<CancellationToken, Task<Stream>> open) in _parts)
        {
            Stream content = await open(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await writer.WritePartAsync(contentType, content, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
