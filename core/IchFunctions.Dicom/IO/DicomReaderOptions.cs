namespace IchFunctions.Dicom.IO;

/// <summary>Settings for <see cref="DicomReader"/>. The limits reject hostile input before anything is allocated for it.</summary>
public sealed record DicomReaderOptions
{
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>
    /// Stop at Pixel Data (7FE0,0010) of the top-level data set without reading it, for fast header reads.
    /// </summary>
    public bool StopBeforePixelData { get; init; }

    /// <summary>
    /// Transfer syntax of a bare data set (one without file meta information). When null the reader detects
    /// Implicit VR Little Endian, Explicit VR Little Endian or Explicit VR Big Endian from the first element.
    /// </summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>
    /// A buffer that native Pixel Data (7FE0,0010) of the top-level data set is read into, when it is large
    /// enough, instead of a new array. The element's value then aliases the buffer, so the caller must finish
    /// with the file before reusing it. Loading a series with one buffer per thread keeps large arrays from
    /// piling up between garbage collections.
    /// </summary>
    public byte[]? PixelDataBuffer { get; init; }

    /// <summary>Deepest nesting of sequences allowed; the top-level data set is depth 0.</summary>
    public int MaxSequenceDepth { get; init; } = 32;

    /// <summary>Most items (or pixel data fragments) one sequence may hold.</summary>
    public int MaxItemsPerSequence { get; init; } = 1_000_000;

    /// <summary>Longest value in bytes; values are held in one array, so at most <see cref="Array.MaxLength"/>.</summary>
    public int MaxValueLength { get; init; } = Array.MaxLength;
}
