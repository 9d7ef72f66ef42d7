using System.Numerics;
using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Hounsfield;

/// <summary>
/// Converts decoded CT frames into Hounsfield units as int16, writing into a caller-provided span so that a volume
/// can be filled slice by slice without intermediate arrays.
/// </summary>
/// <remarks>
/// Padding is matched on stored values, before rescaling, and written as <see cref="Air"/>. Other values become
/// round(stored x slope + intercept), clamped to the int16 range.
/// </remarks>
public static class HounsfieldConverter
{
    /// <summary>HU written for padding pixels: air.</summary>
    public const short Air = -1024;

    /// <summary>
    /// Converts one decoded frame (the layout <see cref="PixelFrameReader.DecodeFrame"/> writes) into HU.
    /// </summary>
    /// <param name="decodedFrame">The decoded frame: <see cref="PixelDescription.FrameLength"/> bytes.</param>
    /// <param name="description">Image pixel attributes; one sample per pixel.</param>
    /// <param name="rescale">Slope, intercept and padding.</param>
    /// <param name="destination">Receives Rows x Columns values.</param>
    /// <exception cref="DicomPixelDataException">The image is not single-sample.</exception>
    public static void Convert(ReadOnlySpan<byte> decodedFrame, PixelDescription description, HounsfieldRescale rescale, Span<short> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(rescale);
        CheckSizes(decodedFrame, description, destination);
        int count = description.Rows * description.Columns;
        Span<short> output = destination[..count];
        ReadOnlySpan<byte> input = decodedFrame[..description.FrameLength];
        switch (description.BitsAllocated)
        {
            case 16 when rescale.IsIntegerShift && description.IsSigned:
                ShiftSigned16(MemoryMarshal.Cast<byte, short>(input), (int)rescale.Intercept, rescale, output);
                break;
            case 16 when rescale.IsIntegerShift:
                ShiftUnsigned16(MemoryMarshal.Cast<byte, ushort>(input), (int)rescale.Intercept, rescale, output);
                break;
            case 16 when description.IsSigned:
                Rescale(MemoryMarshal.Cast<byte, short>(input), rescale, output);
                break;
            case 16:
                Rescale(MemoryMarshal.Cast<byte, ushort>(input), rescale, output);
                break;
            case 8 when description.IsSigned:
                Rescale(MemoryMarshal.Cast<byte, sbyte>(input), rescale, output);
                break;
            case 8:
                Rescale(input, rescale, output);
                break;
            case 32 when description.IsSigned:
                Rescale(MemoryMarshal.Cast<byte, int>(input), rescale, output);
                break;
            default:
                Rescale(MemoryMarshal.Cast<byte, uint>(input), rescale, output);
                break;
        }
    }

    private static void CheckSizes(ReadOnlySpan<byte> decodedFrame, PixelDescription description, Span<short> destination)
    {
        if (description.SamplesPerPixel != 1)
        {
            throw new DicomPixelDataException(
                $"Hounsfield conversion needs one sample per pixel, but Samples per Pixel (0028,0002) is {description.SamplesPerPixel} "
                + $"({description.PhotometricInterpretation.ToDicomString()}); CT images are MONOCHROME2.");
        }

        if (decodedFrame.Length < description.FrameLength)
        {
            throw new ArgumentException($"Decoded frame has {decodedFrame.Length} bytes but the description needs {description.FrameLength}.", nameof(decodedFrame));
        }

        int count = description.Rows * description.Columns;
        if (destination.Length < count)
        {
            throw new ArgumentException($"Destination has {destination.Length} values but the frame has {count} pixels.", nameof(destination));
        }
    }

    private static void ShiftSigned16(ReadOnlySpan<short> stored, int intercept, HounsfieldRescale rescale, Span<short> output)
    {
        int low = rescale.PaddingLow;
        int high = rescale.PaddingHigh;
        int i = 0;
        if (Vector.IsHardwareAccelerated && stored.Length >= Vector<short>.Count)
        {
            var shift = new Vector<int>(intercept);
            var minimum = new Vector<int>(short.MinValue);
            var maximum = new Vector<int>(short.MaxValue);
            var air = new Vector<short>(Air);
            var paddingLow = new Vector<short>((short)Math.Clamp(low, short.MinValue, short.MaxValue));
            var paddingHigh = new Vector<short>((short)Math.Clamp(high, short.MinValue, short.MaxValue));
            bool hasPadding = low <= high && high >= short.MinValue && low <= short.MaxValue;
            ReadOnlySpan<Vector<short>> source = MemoryMarshal.Cast<short, Vector<short>>(stored);
            Span<Vector<short>> target = MemoryMarshal.Cast<short, Vector<short>>(output);
            for (int v = 0; v < source.Length; v++)
            {
                Vector<short> values = source[v];
                Vector.Widen(values, out Vector<int> lower, out Vector<int> upper);
                lower = Vector.Min(Vector.Max(lower + shift, minimum), maximum);
                upper = Vector.Min(Vector.Max(upper + shift, minimum), maximum);
                Vector<short> hu = Vector.Narrow(lower, upper);
                if (hasPadding)
                {
                    Vector<short> padding = Vector.GreaterThanOrEqual(values, paddingLow) & Vector.LessThanOrEqual(values, paddingHigh);
                    hu = Vector.ConditionalSelect(padding, air, hu);
                }

                target[v] = hu;
            }

            i = source.Length * Vector<short>.Count;
        }

        for (; i < stored.Length; i++)
        {
            int value = stored[i];
            output[i] = value >= low && value <= high ? Air : (short)Math.Clamp(value + intercept, short.MinValue, short.MaxValue);
        }
    }

    private static void ShiftUnsigned16(ReadOnlySpan<ushort> stored, int intercept, HounsfieldRescale rescale, Span<short> output)
    {
        int low = rescale.PaddingLow;
        int high = rescale.PaddingHigh;
        int i = 0;
        if (Vector.IsHardwareAccelerated && stored.Length >= Vector<ushort>.Count)
        {
            var shift = new Vector<int>(intercept);
            var minimum = new Vector<int>(short.MinValue);
            var maximum = new Vector<int>(short.MaxValue);
            var air = new Vector<short>(Air);
            var paddingLow = new Vector<ushort>((ushort)Math.Clamp(low, 0, ushort.MaxValue));
            var paddingHigh = new Vector<ushort>((ushort)Math.Clamp(high, 0, ushort.MaxValue));
            bool hasPadding = low <= high && high >= 0 && low <= ushort.MaxValue;
            ReadOnlySpan<Vector<ushort>> source = MemoryMarshal.Cast<ushort, Vector<ushort>>(stored);
            Span<Vector<short>> target = MemoryMarshal.Cast<short, Vector<short>>(output);
            for (int v = 0; v < source.Length; v++)
            {
                Vector<ushort> values = source[v];
                Vector.Widen(values, out Vector<uint> lowerUnsigned, out Vector<uint> upperUnsigned);
                Vector<int> lower = Vector.Min(Vector.Max(Vector.AsVectorInt32(lowerUnsigned) + shift, minimum), maximum);
                Vector<int> upper = Vector.Min(Vector.Max(Vector.AsVectorInt32(upperUnsigned) + shift, minimum), maximum);
                Vector<short> hu = Vector.Narrow(lower, upper);
                if (hasPadding)
                {
                    Vector<short> padding = Vector.AsVectorInt16(Vector.GreaterThanOrEqual(values, paddingLow) & Vector.LessThanOrEqual(values, paddingHigh));
                    hu = Vector.ConditionalSelect(padding, air, hu);
                }

                target[v] = hu;
            }

            i = source.Length * Vector<ushort>.Count;
        }

        for (; i < stored.Length; i++)
        {
            int value = stored[i];
            output[i] = value >= low && value <= high ? Air : (short)Math.Clamp(value + intercept, short.MinValue, short.MaxValue);
        }
    }

    private static void Rescale<T>(ReadOnlySpan<T> stored, HounsfieldRescale rescale, Span<short> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        long low = rescale.PaddingLow;
        long high = rescale.PaddingHigh;
        double slope = rescale.Slope;
        double intercept = rescale.Intercept;
        for (int i = 0; i < stored.Length; i++)
        {
            long value = long.CreateTruncating(stored[i]);
            output[i] = value >= low && value <= high
                ? Air
                : (short)Math.Clamp(Math.Round((value * slope) + intercept, MidpointRounding.AwayFromZero), short.MinValue, short.MaxValue);
        }
    }
}
