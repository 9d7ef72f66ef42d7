using System.Buffers.Binary;

namespace IchFunctions.Dicom.IO;

/// <summary>The one writer core behind the sync and async entry points, generic over the stream adapter.</summary>
internal sealed class DicomWriterCore<TAdapter>(Stream stream, CancellationToken cancellationToken)
    where TAdapter : IStreamWriteAdapter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private static readonly byte[] Padding = [0, (byte)' '];

    private readonly byte[] _header = new byte[12];

    public async ValueTask WriteFileAsync(DicomFile file, DicomWriterOptions options)
    {
        bool encapsulated = file.Dataset.Find(DicomTags.PixelData) is DicomEncapsulatedPixelData;
        string transferSyntax = encapsulated ? file.TransferSyntaxUid : options.TransferSyntaxUid;
        if (transferSyntax is not (TransferSyntaxUids.ExplicitVRLittleEndian or TransferSyntaxUids.ImplicitVRLittleEndian) && !encapsulated)
        {
            throw new ArgumentException(
                $"The writer writes native pixel data in {TransferSyntaxUids.ExplicitVRLittleEndian} or {TransferSyntaxUids.ImplicitVRLittleEndian}, "
                + $"not {transferSyntax}.", nameof(options));
        }

        if (encapsulated && transferSyntax is TransferSyntaxUids.ImplicitVRLittleEndian or TransferSyntaxUids.ExplicitVRBigEndian
            or TransferSyntaxUids.ExplicitVRLittleEndian or TransferSyntaxUids.DeflatedExplicitVRLittleEndian)
        {
            throw new ArgumentException(
                $"The data set has encapsulated Pixel Data but its transfer syntax {transferSyntax} is not a compressed one; "
                + "set DicomFile.TransferSyntaxUid to the syntax of the compressed fragments.", nameof(file));
        }

        byte[] preamble = new byte[132];
        "DICM"u8.CopyTo(preamble.AsSpan(128));
        await TAdapter.WriteAsync(stream, preamble, cancellationToken).ConfigureAwait(false);

        byte[] meta = BuildFileMetaInformation(file, transferSyntax);
        await TAdapter.WriteAsync(stream, meta, cancellationToken).ConfigureAwait(false);

        bool explicitVR = transferSyntax != TransferSyntaxUids.ImplicitVRLittleEndian;
        await WriteDatasetAsync(file.Dataset, explicitVR, topLevel: true).ConfigureAwait(false);
    }

    private static byte[] BuildFileMetaInformation(DicomFile file, string transferSyntax)
    {
        var meta = new DicomDataset(file.FileMetaInformation.Where(element => element.Tag.Group == 0x0002 && !element.Tag.IsGroupLength));
        meta.Set(new DicomElement(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 }));
        SetFromDataset(meta, DicomTags.MediaStorageSopClassUid, file.Dataset, DicomTags.SopClassUid);
        SetFromDataset(meta, DicomTags.MediaStorageSopInstanceUid, file.Dataset, DicomTags.SopInstanceUid);
        meta.SetStrings(DicomTags.TransferSyntaxUid, DicomVR.UI, transferSyntax);
        meta.SetStrings(DicomTags.ImplementationClassUid, DicomVR.UI, DicomWriter.ImplementationClassUid);
        meta.SetStrings(DicomTags.ImplementationVersionName, DicomVR.SH, DicomWriter.ImplementationVersionName);

        using var buffer = new MemoryStream();
        var writer = new DicomWriterCore<SyncStreamWriteAdapter>(buffer, CancellationToken.None);
        ValueTask written = writer.WriteDatasetAsync(meta, explicitVR: true, topLevel: true);
        if (!written.IsCompleted)
        {
            throw new InvalidOperationException("Writing the file meta information to memory did not complete synchronously.");
        }

        written.GetAwaiter().GetResult();
        byte[] group = buffer.ToArray();

        byte[] result = new byte[12 + group.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(result, DicomTags.FileMetaInformationGroupLength.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(2), DicomTags.FileMetaInformationGroupLength.Element);
        "UL"u8.CopyTo(result.AsSpan(4));
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)group.Length);
        group.CopyTo(result, 12);
        return result;
    }

    private static void SetFromDataset(DicomDataset meta, DicomTag metaTag, DicomDataset dataset, DicomTag datasetTag)
    {
        string? value = dataset.GetString(datasetTag);
        if (!string.IsNullOrEmpty(value))
        {
            meta.SetStrings(metaTag, DicomVR.UI, value);
        }
        else if (!meta.Contains(metaTag))
        {
            throw new ArgumentException(
                $"The data set has no {datasetTag} and the file meta information no {metaTag}; a Part 10 file needs both.", nameof(dataset));
        }
    }

    private async ValueTask WriteDatasetAsync(DicomDataset dataset, bool explicitVR, bool topLevel)
    {
        foreach (DicomElement element in dataset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (element.Tag.IsGroupLength && !(topLevel && element.Tag.Group == 0x0002))
            {
                continue;
            }

            switch (element)
            {
                case DicomSequence sequence:
                    await WriteHeaderAsync(element.Tag, DicomVR.SQ, UndefinedLength, explicitVR).ConfigureAwait(false);
                    foreach (DicomDataset item in sequence.Items)
                    {
                        await WriteItemHeaderAsync(DicomTags.Item, UndefinedLength).ConfigureAwait(false);
                        await WriteDatasetAsync(item, explicitVR, topLevel: false).ConfigureAwait(false);
                        await WriteItemHeaderAsync(DicomTags.ItemDelimitationItem, 0).ConfigureAwait(false);
                    }

                    await WriteItemHeaderAsync(DicomTags.SequenceDelimitationItem, 0).ConfigureAwait(false);
                    break;
                case DicomEncapsulatedPixelData pixels:
                    await WriteHeaderAsync(element.Tag, DicomVR.OB, UndefinedLength, explicitVR).ConfigureAwait(false);
                    await WriteFragmentAsync(pixels.BasicOffsetTable).ConfigureAwait(false);
                    foreach (ReadOnlyMemory<byte> fragment in pixels.Fragments)
                    {
                        await WriteFragmentAsync(fragment).ConfigureAwait(false);
                    }

                    await WriteItemHeaderAsync(DicomTags.SequenceDelimitationItem, 0).ConfigureAwait(false);
                    break;
                default:
                    await WriteElementAsync(element, explicitVR).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async ValueTask WriteElementAsync(DicomElement element, bool explicitVR)
    {
        ReadOnlyMemory<byte> value = element.Value;
        int padding = value.Length % 2;
        uint length = (uint)(value.Length + padding);
        DicomVR vr = element.VR;
        if (explicitVR && !vr.HasLongLength && length > ushort.MaxValue)
        {
            // PS3.5 section 6.2.2: a value too long for a 16-bit length field is written with VR UN.
            vr = DicomVR.UN;
        }

        await WriteHeaderAsync(element.Tag, vr, length, explicitVR).ConfigureAwait(false);
        await TAdapter.WriteAsync(stream, value, cancellationToken).ConfigureAwait(false);
        if (padding == 1)
        {
            await TAdapter.WriteAsync(stream, Padding.AsMemory(element.VR.PaddingByte == 0 ? 0 : 1, 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteFragmentAsync(ReadOnlyMemory<byte> fragment)
    {
        int padding = fragment.Length % 2;
        await WriteItemHeaderAsync(DicomTags.Item, (uint)(fragment.Length + padding)).ConfigureAwait(false);
        await TAdapter.WriteAsync(stream, fragment, cancellationToken).ConfigureAwait(false);
        if (padding == 1)
        {
            await TAdapter.WriteAsync(stream, Padding.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask WriteHeaderAsync(DicomTag tag, DicomVR vr, uint length, bool explicitVR)
    {
        Span<byte> header = _header;
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        if (!explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
            return TAdapter.WriteAsync(stream, _header.AsMemory(0, 8), cancellationToken);
        }

        header[4] = (byte)(vr.Code >> 8);
        header[5] = (byte)vr.Code;
        if (vr.HasLongLength)
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            return TAdapter.WriteAsync(stream, _header.AsMemory(0, 12), cancellationToken);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
        return TAdapter.WriteAsync(stream, _header.AsMemory(0, 8), cancellationToken);
    }

    private ValueTask WriteItemHeaderAsync(DicomTag tag, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(2), tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), length);
        return TAdapter.WriteAsync(stream, _header.AsMemory(0, 8), cancellationToken);
    }
}
