using IchFunctions.Dicom.Dictionary;

namespace IchFunctions.Dicom.IO;

/// <summary>Data elements, sequences and encapsulated pixel data.</summary>
internal sealed partial class DicomParser<TAdapter>
{
    private async ValueTask ReadElementAsync(DicomDataset target, long end, DicomEncoding encoding, int depth)
    {
        long offset = _input.Position;
        int buffered = await _input.FillAsync<TAdapter>(8, _cancellationToken).ConfigureAwait(false);
        if (buffered < 8)
        {
            throw Truncated("element header", offset, null, 8, buffered);
        }

        ReadOnlySpan<byte> header = _input.Peek(8);
        DicomTag tag = encoding.ReadTag(header);
        DicomVR vr;
        uint length;
        int headerLength;
        if (encoding.ExplicitVR)
        {
            if (!DicomVR.TryParse(header[4], header[5], out vr))
            {
                throw new DicomEncodingException(
                    $"Invalid VR bytes 0x{header[4]:X2} 0x{header[5]:X2} for {tag} at offset {offset}; the data set is damaged or is "
                    + "not in the explicit VR transfer syntax it declares.", offset, tag);
            }

            if (vr.HasLongLength)
            {
                int available = await _input.FillAsync<TAdapter>(12, _cancellationToken).ConfigureAwait(false);
                if (available < 12)
                {
                    throw Truncated("element header", offset, tag, 12, available);
                }

                length = encoding.ReadUInt32(_input.Peek(12)[8..]);
                headerLength = 12;
            }
            else
            {
                length = encoding.ReadUInt16(header[6..]);
                headerLength = 8;
            }
        }
        else
        {
            length = encoding.ReadUInt32(header[4..]);
            vr = ImplicitVR(tag, target);
            headerLength = 8;
        }

        _input.Advance(headerLength);
        if (length == UndefinedLength)
        {
            target.Set(await ReadUndefinedLengthElementAsync(tag, vr, offset, encoding, depth).ConfigureAwait(false));
            return;
        }

        long valueEnd = _input.Position + length;
        if (end >= 0 && valueEnd > end)
        {
            throw new DicomEncodingException(
                $"{tag} at offset {offset} declares {length} bytes, which run {valueEnd - end} bytes past the end of its enclosing "
                + $"item at offset {end}; the file is damaged.", offset, tag);
        }

        if (vr == DicomVR.SQ)
        {
            CheckAvailable(tag, offset, length);
            target.Set(new DicomSequence(tag, await ReadItemsAsync(tag, valueEnd, encoding, depth).ConfigureAwait(false)));
            return;
        }

        byte[]? buffer = depth == 0 && tag == DicomTags.PixelData && _options.PixelDataBuffer is { } pixels && pixels.Length >= length ? pixels : null;
        target.Set(new DicomElement(tag, vr, await ReadValueAsync(tag, vr, offset, length, encoding, buffer).ConfigureAwait(false)));
    }

    private async ValueTask<DicomElement> ReadUndefinedLengthElementAsync(DicomTag tag, DicomVR vr, long offset, DicomEncoding encoding, int depth)
    {
        if (tag == DicomTags.PixelData)
        {
            return await ReadEncapsulatedPixelDataAsync(tag, vr == DicomVR.UN ? DicomVR.OB : vr, encoding).ConfigureAwait(false);
        }

        if (vr == DicomVR.SQ || !encoding.ExplicitVR)
        {
            return new DicomSequence(tag, await ReadItemsAsync(tag, EndAtDelimiter, encoding, depth).ConfigureAwait(false)) { HadUndefinedLength = true };
        }

        if (vr == DicomVR.UN)
        {
            // PS3.5 section 6.2.2: UN of undefined length is a sequence encoded in Implicit VR Little Endian.
            return new DicomSequence(tag, await ReadItemsAsync(tag, EndAtDelimiter, DicomEncoding.ImplicitLittleEndian, depth).ConfigureAwait(false))
            {
                HadUndefinedLength = true,
            };
        }

        throw new DicomEncodingException(
            $"{tag} at offset {offset} has VR {vr} and undefined length, which only SQ, UN and encapsulated Pixel Data may have; "
            + "the file is damaged.", offset, tag);
    }

    private async ValueTask<List<DicomDataset>> ReadItemsAsync(DicomTag sequenceTag, long end, DicomEncoding encoding, int depth)
    {
        if (depth + 1 > _options.MaxSequenceDepth)
        {
            throw new DicomLimitExceededException(
                $"Sequence {sequenceTag} at offset {_input.Position} is nested {depth + 1} deep, more than the limit of "
                + $"{_options.MaxSequenceDepth}; raise DicomReaderOptions.MaxSequenceDepth if the file is genuine.", _input.Position, sequenceTag);
        }

        var items = new List<DicomDataset>();
        while (end < 0 || _input.Position < end)
        {
            long offset = _input.Position;
            (DicomTag tag, uint length) = await ReadItemHeaderAsync(sequenceTag, encoding).ConfigureAwait(false);
            if (tag == DicomTags.SequenceDelimitationItem && end == EndAtDelimiter)
            {
                return items;
            }

            if (tag != DicomTags.Item)
            {
                throw new DicomEncodingException(
                    $"Expected an item (FFFE,E000) in sequence {sequenceTag} at offset {offset} but found {tag}; the sequence "
                    + "length or encoding is wrong, so the file is damaged.", offset, sequenceTag);
            }

            CheckItemCount(sequenceTag, items.Count, offset);
            var item = new DicomDataset();
            if (length == UndefinedLength)
            {
                await ReadDatasetAsync(item, EndAtDelimiter, encoding, depth + 1).ConfigureAwait(false);
            }
            else
            {
                long itemEnd = _input.Position + length;
                if (end >= 0 && itemEnd > end)
                {
                    throw new DicomEncodingException(
                        $"An item of sequence {sequenceTag} at offset {offset} declares {length} bytes, which run past the "
                        + $"sequence's end at offset {end}; the file is damaged.", offset, sequenceTag);
                }

                CheckAvailable(sequenceTag, offset, length);
                await ReadDatasetAsync(item, itemEnd, encoding, depth + 1).ConfigureAwait(false);
            }

            items.Add(item);
        }

        return items;
    }

    private async ValueTask<DicomEncapsulatedPixelData> ReadEncapsulatedPixelDataAsync(DicomTag tag, DicomVR vr, DicomEncoding encoding)
    {
        ReadOnlyMemory<byte> offsetTable = ReadOnlyMemory<byte>.Empty;
        var fragments = new List<ReadOnlyMemory<byte>>();
        bool first = true;
        while (true)
        {
            long offset = _input.Position;
            (DicomTag itemTag, uint length) = await ReadItemHeaderAsync(tag, encoding).ConfigureAwait(false);
            if (itemTag == DicomTags.SequenceDelimitationItem)
            {
                return new DicomEncapsulatedPixelData(tag, vr, offsetTable, fragments);
            }

            if (itemTag != DicomTags.Item || length == UndefinedLength)
            {
                throw new DicomEncodingException(
                    $"Encapsulated Pixel Data at offset {offset} holds {itemTag}{(length == UndefinedLength ? " of undefined length" : "")} "
                    + "where a defined-length fragment item must be; the file is damaged.", offset, tag);
            }

            CheckItemCount(tag, fragments.Count, offset);
            ReadOnlyMemory<byte> value = await ReadValueAsync(tag, DicomVR.OB, offset, length, encoding).ConfigureAwait(false);
            if (first)
            {
                offsetTable = value;
                first = false;
            }
            else
            {
                fragments.Add(value);
            }
        }
    }

    private async ValueTask<(DicomTag Tag, uint Length)> ReadItemHeaderAsync(DicomTag sequenceTag, DicomEncoding encoding)
    {
        long offset = _input.Position;
        int available = await _input.FillAsync<TAdapter>(8, _cancellationToken).ConfigureAwait(false);
        if (available < 8)
        {
            throw Truncated("item header in sequence", offset, sequenceTag, 8, available);
        }

        ReadOnlySpan<byte> header = _input.Peek(8);
        DicomTag tag = encoding.ReadTag(header);
        uint length = encoding.ReadUInt32(header[4..]);
        _input.Advance(8);
        return (tag, length);
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadValueAsync(DicomTag tag, DicomVR vr, long offset, uint length, DicomEncoding encoding, byte[]? destination = null)
    {
        if (length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (length > _options.MaxValueLength)
        {
            throw new DicomLimitExceededException(
                $"{tag} at offset {offset} declares a value of {length} bytes, more than the limit of {_options.MaxValueLength}; "
                + "raise DicomReaderOptions.MaxValueLength if the file is genuine.", offset, tag);
        }

        if (destination is not null)
        {
            long filled = await _input.ReadIntoAsync<TAdapter>(destination.AsMemory(0, (int)length), _cancellationToken).ConfigureAwait(false);
            if (filled < length)
            {
                throw Truncated("value", offset, tag, length, filled);
            }

            Memory<byte> view = destination.AsMemory(0, (int)length);
            if (encoding.BigEndian && vr.ByteSwapSize > 1)
            {
                SwapBytes(view.Span, vr.ByteSwapSize);
            }

            return view;
        }

        (byte[]? value, long available) = await _input.ReadExactAsync<TAdapter>((int)length, _cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            throw Truncated("value", offset, tag, length, available);
        }

        if (encoding.BigEndian && vr.ByteSwapSize > 1)
        {
            SwapBytes(value, vr.ByteSwapSize);
        }

        return value;
    }

    private void CheckAvailable(DicomTag tag, long offset, uint length)
    {
        if (_input.Length is { } total && _input.Position + length > total)
        {
            throw Truncated("value", offset, tag, length, total - _input.Position);
        }
    }

    private void CheckItemCount(DicomTag tag, int count, long offset)
    {
        if (count >= _options.MaxItemsPerSequence)
        {
            throw new DicomLimitExceededException(
                $"{tag} at offset {offset} contains more than {_options.MaxItemsPerSequence} items; raise "
                + "DicomReaderOptions.MaxItemsPerSequence if the file is genuine.", offset, tag);
        }
    }

    /// <summary>
    /// Returns the VR of an implicit VR element from the data dictionary: UL for group lengths, LO for private
    /// creators, SS for "US or SS" when Pixel Representation is 1 (signed), UN for unknown and private tags.
    /// </summary>
    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset context)
    {
        if (tag == DicomTags.PixelData)
        {
            return DicomVR.OW;
        }

        DicomDictionaryEntry? entry = DicomDictionary.Find(tag);
        if (entry is null || (tag.IsPrivate && !tag.IsPrivateCreator && !tag.IsGroupLength))
        {
            return DicomVR.UN;
        }

        if (entry.ValueRepresentation == "US or SS" && context.Find(DicomTags.PixelRepresentation) is { Value.Length: >= 2 } representation
            && representation.Value.Span[0] == 1)
        {
            return DicomVR.SS;
        }

        return entry.ImplicitVR;
    }

    private static void SwapBytes(Span<byte> value, int size)
    {
        for (int start = 0; start + size <= value.Length; start += size)
        {
            value.Slice(start, size).Reverse();
        }
    }
}
