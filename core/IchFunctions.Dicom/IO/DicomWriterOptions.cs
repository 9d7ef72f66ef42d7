namespace IchFunctions.Dicom.IO;

/// <summary>Settings for <see cref="DicomWriter"/>.</summary>
public sealed record DicomWriterOptions
{
    public static DicomWriterOptions Default { get; } = new();

    /// <summary>
    /// Transfer syntax for data sets with native (not encapsulated) pixel data: Explicit VR Little Endian
    /// (default) or Implicit VR Little Endian. Data sets with encapsulated Pixel Data keep their compressed
    /// transfer syntax, since the writer does not transcode pixel data.
    /// </summary>
    public string TransferSyntaxUid { get; init; } = TransferSyntaxUids.ExplicitVRLittleEndian;
}
