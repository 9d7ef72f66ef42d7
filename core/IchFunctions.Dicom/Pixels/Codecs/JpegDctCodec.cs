using IchFunctions.Dicom.Pixels.Codecs.Jpeg;
using IchFunctions.Dicom.Pixels.Encapsulated;
using JpegLibrary;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>
/// JPEG Baseline (1.2.840.10008.1.2.4.50, 8-bit) and Extended (1.2.840.10008.1.2.4.51, 8- and 12-bit) through the
/// JpegLibrary package. Samples are written as coded: colour stays in the codestream's colour space (usually
/// YBR_FULL_422), and subsampled chrominance is replicated to full resolution.
/// </summary>
public sealed class JpegDctCodec : IPixelFrameCodec
{
    public string Name => "JPEG DCT (JpegLibrary)";

    public FrameStartDetector? FrameStartDetector => JpegMarkers.StartsWithStartOfImage;

    public unsafe void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (destination.Length < description.FrameLength)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes but one frame needs {description.FrameLength}.", nameof(destination));
        }

        if (!JpegMarkers.StartsWithStartOfImage(encodedFrame.Span))
        {
            throw new DicomPixelDataException("JPEG codestream does not start with the SOI marker (FFD8).");
        }

        var decoder = new JpegDecoder();
        try
        {
            decoder.SetInput(encodedFrame);
            decoder.Identify();
            CheckHeader(decoder, description);
            fixed (byte* target = destination)
            {
                decoder.SetOutputWriter(new FrameWriter(target, description, decoder.Precision));
                decoder.Decode();
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or NotSupportedException
            or ArgumentException or IndexOutOfRangeException)
        {
            // JpegLibrary reports corrupt codestreams with these types, and with index errors where its bounds checks stop it.
            throw new DicomPixelDataException($"JpegLibrary could not decode the codestream ({exception.GetType().Name}: {exception.Message}); the codestream is corrupt or truncated.", exception);
        }

        PixelSampleBits.Normalize(destination[..description.FrameLength], description);
    }

    private static void CheckHeader(JpegDecoder decoder, PixelDescription description)
    {
        byte marker = (byte)((int)decoder.StartOfFrame & 0xFF);
        if (marker is not (0xC0 or 0xC1))
        {
            throw new DicomPixelDataException(
                $"JPEG codestream uses {JpegMarkers.DescribeStartOfFrame(marker)}; JPEG Baseline and Extended pixel data must use SOF0 or SOF1.");
        }

        if (decoder.Width != description.Columns || decoder.Height != description.Rows || decoder.NumberOfComponents != description.SamplesPerPixel)
        {
            throw new DicomPixelDataException(
                $"JPEG frame header is {decoder.Height} rows x {decoder.Width} columns x {decoder.NumberOfComponents} components but the data set declares "
                + $"{description.Rows} x {description.Columns} x {description.SamplesPerPixel} (Rows, Columns, Samples per Pixel).");
        }

        if (decoder.Precision is not (8 or 12) || decoder.Precision > description.BitsAllocated)
        {
            throw new DicomPixelDataException(
                $"JPEG DCT precision is {decoder.Precision} bits but Bits Allocated (0028,0100) is {description.BitsAllocated}; "
                + "precision must be 8 or 12 and fit in Bits Allocated.");
        }
    }

    /// <summary>Writes decoded 8x8 blocks into the frame, clipping the blocks that overhang the right and bottom edges.</summary>
    private sealed unsafe class FrameWriter(byte* destination, PixelDescription description, int precision) : JpegBlockOutputWriter
    {
        private readonly int _maxValue = (1 << precision) - 1;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            int width = description.Columns;
            int samples = description.SamplesPerPixel;
            int rows = Math.Min(8, description.Rows - y);
            int columns = Math.Min(8, width - x);
            fixed (short* block = &blockRef)
            {
                for (int row = 0; row < rows; row++)
                {
                    int start = ((((y + row) * width) + x) * samples) + componentIndex;
                    for (int column = 0; column < columns; column++)
                    {
                        int value = Math.Clamp((int)block[(row * 8) + column], 0, _maxValue);
                        int index = start + (column * samples);
                        if (description.BytesPerSample == 1)
                        {
                            destination[index] = (byte)value;
                        }
                        else if (description.BytesPerSample == 2)
                        {
                            ((ushort*)destination)[index] = (ushort)value;
                        }
                        else
                        {
                            ((int*)destination)[index] = value;
                        }
                    }
                }
            }
        }
    }
}
