namespace IchFunctions.Dicom;

/// <summary>
/// A data element with its value bytes. Binary values are always held in little-endian byte order, whatever
/// the transfer syntax they were read from; string values keep their padding and any odd length as read.
/// </summary>
public class DicomElement
{
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        Tag = tag;
        VR = vr;
        Value = value;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    /// <summary>The value bytes, little endian; empty for an element without a value.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>
    /// Where the value can be fetched instead of <see cref="Value"/>, for elements read from DICOM JSON with a
    /// BulkDataURI; null otherwise.
    /// </summary>
    public Uri? BulkDataUri { get; init; }

    public override string ToString() => $"{Tag} {VR} ({Value.Length} bytes)";
}

/// <summary>A sequence (VR SQ): an ordered list of item data sets.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset> items)
        : base(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = [.. items];
    }

    public IReadOnlyList<DicomDataset> Items { get; }

    /// <summary>Whether the sequence was read with undefined length (delimited); writers may use it as a hint.</summary>
    public bool HadUndefinedLength { get; init; }

    public override string ToString() => $"{Tag} SQ ({Items.Count} items)";
}

/// <summary>
/// Encapsulated Pixel Data (PS3.5 section A.4): the Basic Offset Table item followed by the compressed
/// fragments, each kept exactly as read. A frame may span several fragments; the offsets in the Basic Offset
/// Table (or in the Extended Offset Table elements (7FE0,0001) and (7FE0,0002) of the same data set) are
/// byte offsets from the first byte of the first fragment's item header.
/// </summary>
public sealed class DicomEncapsulatedPixelData : DicomElement
{
    public DicomEncapsulatedPixelData(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> basicOffsetTable, IEnumerable<ReadOnlyMemory<byte>> fragments)
        : base(tag, vr, ReadOnlyMemory<byte>.Empty)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        BasicOffsetTable = basicOffsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The value of the first item, little-endian 32-bit offsets; empty when the table is empty.</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; }

    /// <summary>The fragment values in stream order, without their 8-byte item headers.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; }

    /// <summary>Returns the Basic Offset Table as numbers; empty when the table is empty.</summary>
    public uint[] GetBasicOffsets()
    {
        ReadOnlySpan<byte> table = BasicOffsetTable.Span;
        var offsets = new uint[table.Length / 4];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(table[(i * 4)..]);
        }

        return offsets;
    }

    public override string ToString() => $"{Tag} {VR} encapsulated ({Fragments.Count} fragments)";
}
