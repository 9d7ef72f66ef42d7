using System.Net.Http.Headers;

namespace IchFunctions.Dicom.Multipart;

/// <summary>Builds and parses multipart/related Content-Type values as DICOMweb uses them (PS3.18 section 8.6).</summary>
public static class MultipartContentType
{
    /// <summary>Returns a new random boundary of 40 characters, which cannot occur in DICOM bytes by chance in practice.</summary>
    public static string NewBoundary() => "ich-" + Guid.NewGuid().ToString("N") + "0000";

    /// <summary>Returns <c>multipart/related; type="TYPE"; boundary=BOUNDARY</c>.</summary>
    public static string Create(string boundary, string partType = "application/dicom")
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        ArgumentException.ThrowIfNullOrEmpty(partType);
        return $"multipart/related; type=\"{partType}\"; boundary={boundary}";
    }

    /// <summary>Returns the boundary parameter of a multipart Content-Type value.</summary>
    public static string GetBoundary(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (!MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
            || parsed.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new MultipartFormatException($"Content-Type '{contentType}' is not a multipart media type; a multipart/related body was expected.");
        }

        string? boundary = parsed.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            throw new MultipartFormatException(
                $"Content-Type '{contentType}' has no valid boundary parameter (1 to 70 characters, RFC 2046 section 5.1.1).");
        }

        return boundary;
    }
}
