using System.Buffers.Binary;

namespace IchFunctions.Dicom.IO;

/// <summary>How data elements are encoded: explicit or implicit VR, little or big endian.</summary>
internal readonly record struct DicomEncoding(bool ExplicitVR, bool BigEndian)
{
    public static readonly DicomEncoding ImplicitLittleEndian = new(false, false);
    public static readonly DicomEncoding ExplicitLittleEndian = new(true, false);
    public static readonly DicomEncoding ExplicitBigEndian = new(true, true);

    /// <summary>Returns the encoding of a transfer syntax; every syntax not named here is Explicit VR Little Endian.</summary>
    public static DicomEncoding FromTransferSyntax(string uid) => uid switch
    {
        TransferSyntaxUids.ImplicitVRLittleEndian => ImplicitLittleEndian,
        TransferSyntaxUids.ExplicitVRBigEndian => ExplicitBigEndian,
        _ => ExplicitLittleEndian,
    };

    public ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    public uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    public DicomTag ReadTag(ReadOnlySpan<byte> bytes) => new(ReadUInt16(bytes), ReadUInt16(bytes[2..]));
}
