using System.Buffers.Binary;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Encapsulated;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// Frame location from the Extended and Basic Offset Tables, and the errors for tables that contradict the
/// fragments, using the fragments of a real 16-frame JPEG Lossless file made by dcmcjpeg.
/// </summary>
public sealed class EncapsulatedFrameTableTests
{
    [Fact]
    public void ExtendedOffsetTable_LocatesEveryFrame()
    {
        using var scratch = new TemporaryDirectory();
        (TestPixelSource source, byte[] original) = LoadMultiFrame(scratch, "+ot");
        IReadOnlyList<ReadOnlyMemory<byte>> fragments = source.Encapsulated!.Fragments;
        var offsets = new byte[fragments.Count * 8];
        var lengths = new byte[fragments.Count * 8];
        long position = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(offsets.AsSpan(i * 8), (ulong)position);
            BinaryPrimitives.WriteUInt64LittleEndian(lengths.AsSpan(i * 8), (ulong)fragments[i].Length);
            position += EncapsulatedPixelData.ItemHeaderLength + fragments[i].Length;
        }

        var withExtendedTable = new EncapsulatedPixelData(ReadOnlyMemory<byte>.Empty, fragments, offsets, lengths);

        Assert.Equal(original, DecodeAll(source.TransferSyntaxUid, source.Description, withExtendedTable));
    }

    [Fact]
    public void BasicOffsetTableOfWrongLength_RaisesNamingBothCounts()
    {
        using var scratch = new TemporaryDirectory();
        (TestPixelSource source, _) = LoadMultiFrame(scratch, "+ot");
        var truncatedTable = new EncapsulatedPixelData(source.Encapsulated!.BasicOffsetTable[..60], source.Encapsulated.Fragments);

        var exception = Assert.Throws<DicomPixelDataException>(() =>
            DecodeAll(source.TransferSyntaxUid, source.Description, truncatedTable));

        Assert.Contains("Basic Offset Table holds 60 bytes but Number of Frames (0028,0008) is 16", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OffsetBetweenFragments_RaisesNamingOffset()
    {
        using var scratch = new TemporaryDirectory();
        (TestPixelSource source, _) = LoadMultiFrame(scratch, "+ot");
        byte[] table = source.Encapsulated!.BasicOffsetTable.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 3);
        var corrupt = new EncapsulatedPixelData(table, source.Encapsulated.Fragments);

        var exception = Assert.Throws<DicomPixelDataException>(() => DecodeAll(source.TransferSyntaxUid, source.Description, corrupt));

        Assert.Contains("gives offset 3 for frame 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFragments_RaisesBeforeAllocating()
    {
        using var scratch = new TemporaryDirectory();
        (TestPixelSource source, _) = LoadMultiFrame(scratch, "-ot");
        PixelDescription absurd = new(
            source.Description.Rows, source.Description.Columns, 1, 8, 8, 7, PixelRepresentation.Unsigned, PhotometricInterpretation.Monochrome2, numberOfFrames: int.MaxValue);

        var exception = Assert.Throws<DicomPixelDataException>(() =>
            EncapsulatedFrameTable.Build(source.Encapsulated!, absurd.NumberOfFrames, null));

        Assert.Contains($"has 16 fragment(s) but Number of Frames (0028,0008) is {int.MaxValue}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraCodestreamWithoutOffsetTable_Raises()
    {
        using var scratch = new TemporaryDirectory();
        (TestPixelSource source, _) = LoadMultiFrame(scratch, "-ot");
        PixelDescription fifteenFrames = new(
            source.Description.Rows, source.Description.Columns, 1, 8, 8, 7, PixelRepresentation.Unsigned, PhotometricInterpretation.Monochrome2, numberOfFrames: 15);

        var exception = Assert.Throws<DicomPixelDataException>(() =>
            DecodeAll(source.TransferSyntaxUid, fifteenFrames, source.Encapsulated!));

        Assert.Contains("more than the 15 codestreams", exception.Message, StringComparison.Ordinal);
    }

    private static (TestPixelSource Source, byte[] Original) LoadMultiFrame(TemporaryDirectory scratch, string offsetTable)
    {
        string path = TestData.Require("other/DICOMSamples/MR_Explicit_Little_MultiFrame.dcm");
        string compressed = scratch.File("multiframe.dcm");
        ExternalTool.Run("dcmcjpeg", "+e1", offsetTable, path, compressed);
        return (TestPixelSource.Load(compressed, scratch), PixelOracle.DecodeAllFrames(TestPixelSource.Load(path, scratch)));
    }

    private static byte[] DecodeAll(string transferSyntaxUid, PixelDescription description, EncapsulatedPixelData pixelData)
    {
        PixelFrameReader reader = PixelFrameReader.Create(transferSyntaxUid, description, null, pixelData);
        var decoded = new byte[description.TotalLength];
        for (int frame = 0; frame < description.NumberOfFrames; frame++)
        {
            reader.DecodeFrame(frame, decoded.AsSpan(frame * description.FrameLength, description.FrameLength));
        }

        return decoded;
    }
}
