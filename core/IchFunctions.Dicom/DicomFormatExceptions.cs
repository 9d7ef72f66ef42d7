namespace IchFunctions.Dicom;

/// <summary>
/// Input that is not a DICOM file or data set at all: no recognisable preamble, "DICM" prefix, file meta
/// group or first data element.
/// </summary>
public sealed class DicomFileFormatException : DicomDataException
{
    public DicomFileFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A data element, item or delimiter that breaks the encoding rules of its transfer syntax at a known byte
/// offset: an invalid VR, an undefined length where none is allowed, an element that runs past the end of
/// its item, or a stray delimiter.
/// </summary>
public class DicomEncodingException : DicomDataException
{
    public DicomEncodingException(string message, long offset, DicomTag? tag)
        : base(message)
    {
        Offset = offset;
        Tag = tag;
    }

    /// <summary>Byte offset from the start of the input (after decompression for deflated data sets).</summary>
    public long Offset { get; }

    /// <summary>The tag being read, where one was read.</summary>
    public DicomTag? Tag { get; }
}

/// <summary>
/// Input that ends before a declared length is satisfied: a value, item or header whose declared length
/// reaches past the end of the stream.
/// </summary>
public sealed class DicomTruncatedException : DicomEncodingException
{
    public DicomTruncatedException(string message, long offset, DicomTag? tag, long declaredLength, long availableLength)
        : base(message, offset, tag)
    {
        DeclaredLength = declaredLength;
        AvailableLength = availableLength;
    }

    /// <summary>Bytes the input declared.</summary>
    public long DeclaredLength { get; }

    /// <summary>Bytes that were actually left.</summary>
    public long AvailableLength { get; }
}

/// <summary>
/// Input that exceeds one of the reader's limits (nesting depth, items per sequence, value length), checked
/// before anything is allocated for it.
/// </summary>
public sealed class DicomLimitExceededException : DicomEncodingException
{
    public DicomLimitExceededException(string message, long offset, DicomTag? tag)
        : base(message, offset, tag)
    {
    }
}

/// <summary>Text in a Specific Character Set this toolkit does not decode, or a value it cannot encode.</summary>
public sealed class DicomCharacterSetException : DicomDataException
{
    public DicomCharacterSetException(string message)
        : base(message)
    {
    }
}

/// <summary>A value that cannot be read as the type requested, for example "abc" read as an integer string.</summary>
public sealed class DicomValueException : DicomDataException
{
    public DicomValueException(string message)
        : base(message)
    {
    }

    public DicomValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
