using System.Text;

namespace IchFunctions.Dicom.Multipart;

/// <summary>
/// Writes a multipart/related body part by part straight to a stream, so a study is never held in memory:
/// each part's content is copied from its own stream as it is written.
/// </summary>
public sealed class MultipartRelatedWriter
{
    private readonly Stream _output;
    private readonly string _boundary;
    private bool _completed;

    public MultipartRelatedWriter(Stream output, string boundary)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _output = output;
        _boundary = boundary;
    }

    /// <summary>Writes one part with its Content-Type (and any further headers) and copies its content.</summary>
    public async ValueTask WritePartAsync(string contentType, Stream content, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        ArgumentNullException.ThrowIfNull(content);
        ObjectDisposedException.ThrowIf(_completed, this);
        var head = new StringBuilder();
        head.Append("--").Append(_boundary).Append("\r\n");
        head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            if (name.Contains(':', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Header '{name}' cannot be written: names may not contain ':' and values may not contain line breaks.", nameof(headers));
            }

            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await _output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await content.CopyToAsync(_output, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing delimiter; no part may follow.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        await _output.WriteAsync(Encoding.ASCII.GetBytes($"--{_boundary}--\r\n"), cancellationToken).ConfigureAwait(false);
    }
}
