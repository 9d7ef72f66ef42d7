using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Codecs.Jpeg;

/// <summary>
/// Decodes JPEG lossless (process 14, ITU-T T.81 Annex H, Huffman coded, SOF3) with all seven predictors and point
/// transform, for 2 to 16 bits of precision and one or three components.
/// </summary>
/// <remarks>
/// Predictions are computed in 32-bit integers and reconstruction is modulo 2^16, so predictors 4 to 7 stay exact
/// when the sum of two 16-bit neighbours exceeds 0xFFFF, as for two's complement CT values on both sides of zero.
/// </remarks>
internal static class JpegLosslessDecoder
{
    private const int MaxTables = 4;

    public static void Decode(ReadOnlySpan<byte> data, PixelDescription description, Span<byte> destination)
    {
        if (!JpegMarkers.StartsWithStartOfImage(data))
        {
            throw new DicomPixelDataException("JPEG codestream does not start with the SOI marker (FFD8).");
        }

        var tables = new JpegHuffmanTable?[MaxTables];
        FrameHeader? frame = null;
        int restartInterval = 0;
        int position = 2;
        Span<bool> decodedComponents = stackalloc bool[3];
        while (true)
        {
            byte marker = ReadMarker(data, ref position);
            if (marker == JpegMarkers.EndOfImage)
            {
                break;
            }

            if (marker is >= 0xD0 and <= 0xD7 or JpegMarkers.StartOfImage)
            {
                continue;
            }

            ReadOnlySpan<byte> segment = ReadSegment(data, ref position, marker);
            if (marker == JpegMarkers.StartOfFrameLossless)
            {
                frame = FrameHeader.Parse(segment, description);
            }
            else if (JpegMarkers.IsStartOfFrame(marker))
            {
                throw new DicomPixelDataException(
                    $"JPEG codestream uses {JpegMarkers.DescribeStartOfFrame(marker)}, not the lossless process (SOF3) its transfer syntax declares.");
            }
            else if (marker == JpegMarkers.DefineHuffmanTables)
            {
                ReadHuffmanTables(segment, tables);
            }
            else if (marker == JpegMarkers.DefineRestartInterval)
            {
                restartInterval = segment.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(segment) : 0;
            }
            else if (marker == JpegMarkers.StartOfScan)
            {
                if (frame is null)
                {
                    throw new DicomPixelDataException("JPEG codestream has a scan (SOS) before its frame header (SOF3).");
                }

                ScanHeader scan = ScanHeader.Parse(segment, frame, tables);
                position = DecodeScan(data, position, frame, scan, restartInterval, description, destination);
                foreach (int component in scan.ComponentIndexes)
                {
                    decodedComponents[component] = true;
                }
            }
        }

        if (frame is null)
        {
            throw new DicomPixelDataException("JPEG codestream has no frame header (SOF3).");
        }

        for (int component = 0; component < frame.ComponentCount; component++)
        {
            if (!decodedComponents[component])
            {
                throw new DicomPixelDataException($"JPEG codestream ends before any scan of component {component}; the codestream is truncated.");
            }
        }

        PixelSampleBits.Normalize(destination[..description.FrameLength], description);
    }

    private static byte ReadMarker(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length || data[position] != 0xFF)
        {
            throw new DicomPixelDataException(
                position >= data.Length
                    ? $"JPEG codestream ends at byte {data.Length} without the EOI marker (FFD9); the codestream is truncated."
                    : $"JPEG codestream has byte 0x{data[position]:X2} at offset {position} where a marker was expected; the codestream is corrupt.");
        }

        while (position < data.Length && data[position] == 0xFF)
        {
            position++;
        }

        if (position >= data.Length)
        {
            throw new DicomPixelDataException($"JPEG codestream ends inside a marker at byte {data.Length}; the codestream is truncated.");
        }

        return data[position++];
    }

    private static ReadOnlySpan<byte> ReadSegment(ReadOnlySpan<byte> data, ref int position, byte marker)
    {
        if (position + 2 > data.Length)
        {
            throw new DicomPixelDataException($"JPEG marker 0xFF{marker:X2} at offset {position - 2} has no length; the codestream is truncated.");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        if (length < 2 || position + length > data.Length)
        {
            throw new DicomPixelDataException(
                $"JPEG segment 0xFF{marker:X2} at offset {position - 2} declares {length} bytes but {data.Length - position} remain; the codestream is truncated or corrupt.");
        }

        ReadOnlySpan<byte> segment = data.Slice(position + 2, length - 2);
        position += length;
        return segment;
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> segment, JpegHuffmanTable?[] tables)
    {
        int offset = 0;
        while (offset < segment.Length)
        {
            if (offset + 17 > segment.Length)
            {
                throw new DicomPixelDataException("JPEG DHT segment ends inside a table header; the codestream is corrupt.");
            }

            int tableClassAndId = segment[offset];
            int id = tableClassAndId & 0x0F;
            if (id >= MaxTables)
            {
                throw new DicomPixelDataException($"JPEG DHT segment defines Huffman table {id}; only 0 to 3 exist.");
            }

            ReadOnlySpan<byte> counts = segment.Slice(offset + 1, 16);
            int total = 0;
            foreach (byte count in counts)
            {
                total += count;
            }

            if (total > 256 || offset + 17 + total > segment.Length)
            {
                throw new DicomPixelDataException($"JPEG DHT segment declares {total} codes for table {id} but contains fewer; the codestream is corrupt.");
            }

            // Lossless scans use the DC (class 0) tables; AC tables are kept out of the way.
            if (tableClassAndId >> 4 == 0)
            {
                tables[id] = new JpegHuffmanTable(counts, segment.Slice(offset + 17, total));
            }

            offset += 17 + total;
        }
    }

    private static int DecodeScan(
        ReadOnlySpan<byte> data,
        int position,
        FrameHeader frame,
        ScanHeader scan,
        int restartInterval,
        PixelDescription description,
        Span<byte> destination)
    {
        int width = frame.Columns;
        int componentCount = scan.ComponentIndexes.Length;
        if (restartInterval > 0 && restartInterval % width != 0)
        {
            // T.81 H.1.1 requires lossless restart intervals to be whole MCU rows.
            throw new DicomPixelDataException($"JPEG restart interval {restartInterval} is not a multiple of the {width} MCUs in a row.");
        }

        if (componentCount == 1 && scan.Predictor == 1 && scan.PointTransform == 0 && restartInterval == 0
            && description.SamplesPerPixel == 1 && description.BytesPerSample == 2)
        {
            return JpegFirstOrderScanDecoder.Decode(data, position, frame.Precision, frame.Rows, frame.Columns, scan.Tables[0], MemoryMarshal.Cast<byte, ushort>(destination));
        }

        int rowLength = width * componentCount;
        int[] rented = ArrayPool<int>.Shared.Rent(rowLength * 2);
        try
        {
            Span<int> previous = rented.AsSpan(0, rowLength);
            Span<int> current = rented.AsSpan(rowLength, rowLength);
            var reader = new JpegBitReader(data, position);
            int initial = 1 << (frame.Precision - scan.PointTransform - 1);
            int predictor = scan.Predictor;
            bool firstLine = true;
            int mcusSinceRestart = 0;
            for (int row = 0; row < frame.Rows; row++)
            {
                for (int column = 0; column < width; column++)
                {
                    for (int c = 0; c < componentCount; c++)
                    {
                        int index = (column * componentCount) + c;
                        int prediction;
                        if (firstLine)
                        {
                            prediction = column == 0 ? initial : current[index - componentCount];
                        }
                        else if (column == 0)
                        {
                            prediction = previous[index];
                        }
                        else
                        {
                            prediction = Predict(predictor, current[index - componentCount], previous[index], previous[index - componentCount]);
                        }

                        current[index] = (prediction + scan.Tables[c].DecodeDifference(ref reader)) & 0xFFFF;
                    }
                }

                WriteRow(current, row, scan, frame, description, destination);
                Span<int> swap = previous;
                previous = current;
                current = swap;
                firstLine = false;
                mcusSinceRestart += width;
                if (restartInterval > 0 && mcusSinceRestart == restartInterval && row + 1 < frame.Rows)
                {
                    if (!reader.ReadRestartMarker())
                    {
                        throw new DicomPixelDataException($"JPEG codestream has no restart marker after row {row}; the codestream is corrupt.");
                    }

                    mcusSinceRestart = 0;
                    firstLine = true;
                }
            }

            if (reader.OverrunBits > 0)
            {
                throw new DicomPixelDataException(
                    $"JPEG scan data ends {reader.OverrunBits} bits before the last of {frame.Rows} rows; the codestream is truncated.");
            }

            return reader.Position;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static int Predict(int predictor, int left, int above, int aboveLeft) => predictor switch
    {
        1 => left,
        2 => above,
        3 => aboveLeft,
        4 => left + above - aboveLeft,
        5 => left + ((above - aboveLeft) >> 1),
        6 => above + ((left - aboveLeft) >> 1),
        _ => (left + above) >> 1,
    };

    private static void WriteRow(ReadOnlySpan<int> row, int rowIndex, ScanHeader scan, FrameHeader frame, PixelDescription description, Span<byte> destination)
    {
        int samples = description.SamplesPerPixel;
        int width = frame.Columns;
        int componentCount = scan.ComponentIndexes.Length;
        int shift = scan.PointTransform;
        int rowStart = rowIndex * width * samples;
        for (int c = 0; c < componentCount; c++)
        {
            int component = scan.ComponentIndexes[c];
            switch (description.BytesPerSample)
            {
                case 1:
                    for (int x = 0; x < width; x++)
                    {
                        destination[rowStart + (x * samples) + component] = (byte)(row[(x * componentCount) + c] << shift);
                    }

                    break;
                case 2:
                    Span<ushort> words = MemoryMarshal.Cast<byte, ushort>(destination);
                    for (int x = 0; x < width; x++)
                    {
                        words[rowStart + (x * samples) + component] = (ushort)(row[(x * componentCount) + c] << shift);
                    }

                    break;
                default:
                    Span<int> integers = MemoryMarshal.Cast<byte, int>(destination);
                    for (int x = 0; x < width; x++)
                    {
                        integers[rowStart + (x * samples) + component] = row[(x * componentCount) + c] << shift;
                    }

                    break;
            }
        }
    }

    private sealed record FrameHeader(int Precision, int Rows, int Columns, byte[] ComponentIds)
    {
        public int ComponentCount => ComponentIds.Length;

        public static FrameHeader Parse(ReadOnlySpan<byte> segment, PixelDescription description)
        {
            if (segment.Length < 6)
            {
                throw new DicomPixelDataException("JPEG SOF3 segment is shorter than its fixed fields; the codestream is corrupt.");
            }

            int precision = segment[0];
            int rows = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
            int columns = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
            int components = segment[5];
            if (precision is < 2 or > 16 || precision > description.BitsAllocated)
            {
                throw new DicomPixelDataException(
                    $"JPEG lossless precision is {precision} bits but Bits Allocated (0028,0100) is {description.BitsAllocated}; "
                    + "precision must be 2 to 16 and fit in Bits Allocated.");
            }

            if (rows != description.Rows || columns != description.Columns || components != description.SamplesPerPixel)
            {
                throw new DicomPixelDataException(
                    $"JPEG frame header is {rows} rows x {columns} columns x {components} components but the data set declares "
                    + $"{description.Rows} x {description.Columns} x {description.SamplesPerPixel} (Rows, Columns, Samples per Pixel).");
            }

            if (segment.Length < 6 + (components * 3))
            {
                throw new DicomPixelDataException("JPEG SOF3 segment ends inside its component list; the codestream is corrupt.");
            }

            var ids = new byte[components];
            for (int i = 0; i < components; i++)
            {
                ids[i] = segment[6 + (i * 3)];
                if (segment[7 + (i * 3)] != 0x11)
                {
                    throw new DicomPixelDataException(
                        $"JPEG lossless component {i} has sampling factors 0x{segment[7 + (i * 3)]:X2}; only 1x1 (no subsampling) is supported.");
                }
            }

            return new FrameHeader(precision, rows, columns, ids);
        }
    }

    private sealed record ScanHeader(int[] ComponentIndexes, JpegHuffmanTable[] Tables, int Predictor, int PointTransform)
    {
        public static ScanHeader Parse(ReadOnlySpan<byte> segment, FrameHeader frame, JpegHuffmanTable?[] tables)
        {
            int count = segment.Length > 0 ? segment[0] : 0;
            if (count < 1 || count > frame.ComponentCount || segment.Length < 1 + (count * 2) + 3)
            {
                throw new DicomPixelDataException($"JPEG SOS segment names {count} components for a frame of {frame.ComponentCount}; the codestream is corrupt.");
            }

            var indexes = new int[count];
            var scanTables = new JpegHuffmanTable[count];
            for (int i = 0; i < count; i++)
            {
                int index = Array.IndexOf(frame.ComponentIds, segment[1 + (i * 2)]);
                int tableId = segment[2 + (i * 2)] >> 4;
                if (index < 0)
                {
                    throw new DicomPixelDataException($"JPEG scan names component id {segment[1 + (i * 2)]}, which the frame header does not define.");
                }

                indexes[i] = index;
                scanTables[i] = (tableId < MaxTables ? tables[tableId] : null)
                    ?? throw new DicomPixelDataException($"JPEG scan uses Huffman table {tableId}, which no DHT segment defines.");
            }

            int predictor = segment[1 + (count * 2)];
            int pointTransform = segment[3 + (count * 2)] & 0x0F;
            if (predictor is < 1 or > 7)
            {
                throw new DicomPixelDataException($"JPEG lossless scan uses predictor (selection value) {predictor}; valid values are 1 to 7.");
            }

            if (pointTransform >= frame.Precision)
            {
                throw new DicomPixelDataException($"JPEG lossless point transform {pointTransform} is not below the precision {frame.Precision}.");
            }

            return new ScanHeader(indexes, scanTables, predictor, pointTransform);
        }
    }
}
