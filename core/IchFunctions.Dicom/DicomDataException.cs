namespace IchFunctions.Dicom;

/// <summary>
/// Base of every error the DICOM toolkit raises for malformed or unsupported input. Messages name the
/// offending tag, byte offset, length or UID, and say what the caller can do.
/// </summary>
/// <remarks>
/// <see cref="InvalidDataException"/> is sealed, so this root derives from <see cref="IOException"/>, its
/// nearest unsealed relative for "the bytes read are not valid"; catch this type to handle any DICOM input error.
/// </remarks>
public class DicomDataException : IOException
{
    public DicomDataException(string message)
        : base(message)
    {
    }

    public DicomDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Pixel data whose transfer syntax this toolkit cannot decode.</summary>
public sealed class UnsupportedTransferSyntaxException : DicomDataException
{
    public UnsupportedTransferSyntaxException(string transferSyntaxUid, string message)
        : base(message)
    {
        TransferSyntaxUid = transferSyntaxUid;
    }

    /// <summary>The transfer syntax UID that was rejected.</summary>
    public string TransferSyntaxUid { get; }
}

/// <summary>Pixel data that is missing, truncated, or inconsistent with the image pixel attributes.</summary>
public sealed class DicomPixelDataException : DicomDataException
{
    public DicomPixelDataException(string message)
        : base(message)
    {
    }

    public DicomPixelDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
