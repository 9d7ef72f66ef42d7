using System.Globalization;
using System.Net;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>A DICOMweb request that the server rejected, or whose response cannot be used.</summary>
public sealed class DicomWebException : Exception
{
    public DicomWebException(string message, HttpStatusCode? statusCode = null)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Throws with the operation, the status code and the start of the server's message when the response failed.</summary>
    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string excerpt = body.Length > 300 ? body[..300] + "..." : body;
        throw new DicomWebException(
            string.Create(CultureInfo.InvariantCulture, $"{operation} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}"),
            response.StatusCode);
    }
}
