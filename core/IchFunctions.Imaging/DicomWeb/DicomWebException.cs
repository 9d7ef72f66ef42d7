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

    public DicomWebException(string message, Exception innerException, HttpStatusCode? statusCode = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status of the failed response; null when no response came back or the response was unreadable.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Throws with the operation, the status code and the start of the server's message when the response failed.</summary>
    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw await FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the exception for a failed response: the operation, the status code and the first 300 characters
    /// of the server's error message (error bodies, never metadata or instance bodies, reach this method).
    /// </summary>
    public static async Task<DicomWebException> FromResponseAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string excerpt = body.Length > 300 ? body[..300] + "..." : body;
        return new DicomWebException(
            string.Create(CultureInfo.InvariantCulture, $"{operation} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}"),
            response.StatusCode);
    }
}
