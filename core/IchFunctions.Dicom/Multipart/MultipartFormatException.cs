namespace IchFunctions.Dicom.Multipart;

/// <summary>A multipart/related body or Content-Type header that does not follow RFC 2046 and RFC 2387.</summary>
public sealed class MultipartFormatException : DicomDataException
{
    public MultipartFormatException(string message)
        : base(message)
    {
    }
}
