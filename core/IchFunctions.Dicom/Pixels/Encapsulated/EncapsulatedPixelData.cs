namespace IchFunctions.Dicom.Pixels.Encapsulated;

/// <summary>
/// Encapsulated Pixel Data (7FE0,0010) as the parser reads it: the Basic Offset Table item, the fragment
/// items that follow it, and the optional Extended Offset Table (7FE0,0001) with its lengths (7FE0,0002).
/// </summary>
/// <remarks>
/// Offsets in both tables count from the first byte of the first fragment's item tag, so each fragment
/// occupies its value length plus 8 bytes of item header.
/// </remarks>
public sealed class EncapsulatedPixelData
{
    /// <summary>Bytes of an item header: the (FFFE,E000) tag and the 32-bit length.</summary>
    public const int ItemHeaderLength = 8;

    /// <param name="basicOffsetTable">Value of the first item: empty, or one little-endian 32-bit offset per frame.</param>
    /// <param name="fragments">Values of the following items, in order.</param>
    /// <param name="extendedOffsetTable">Extended Offset Table (7FE0,0001): 64-bit offsets, or empty when absent.</param>
    /// <param name="extendedOffsetTableLengths">Extended Offset Table Lengths (7FE0,0002): 64-bit frame lengths, or empty.</param>
    public EncapsulatedPixelData(
        ReadOnlyMemory<byte> basicOffsetTable,
        IReadOnlyList<ReadOnlyMemory<byte>> fragments,
        ReadOnlyMemory<byte> extendedOffsetTable = default,
        ReadOnlyMemory<byte> extendedOffsetTableLengths = default)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        BasicOffsetTable = basicOffsetTable;
        Fragments = fragments;
        ExtendedOffsetTable = extendedOffsetTable;
        ExtendedOffsetTableLengths = extendedOffsetTableLengths;
    }

    /// <summary>Value of the Basic Offset Table item.</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; }

    /// <summary>Values of the fragment items.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; }

    /// <summary>Value of Extended Offset Table (7FE0,0001), empty when absent.</summary>
    public ReadOnlyMemory<byte> ExtendedOffsetTable { get; }

    /// <summary>Value of Extended Offset Table Lengths (7FE0,0002), empty when absent.</summary>
    public ReadOnlyMemory<byte> ExtendedOffsetTableLengths { get; }
}
