using System.Numerics;
using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels;

/// <summary>
/// Brings samples whose Bits Stored is less than Bits Allocated into the decoded layout: bits above the High
/// Bit are cleared for unsigned data and filled with the sign bit for signed data.
/// </summary>
internal static class PixelSampleBits
{
    /// <summary>Masks or sign-extends every sample of a decoded little-endian frame in place.</summary>
    public static void Normalize(Span<byte> frame, PixelDescription description)
    {
        int unusedBits = description.BitsAllocated - description.BitsStored;
        if (unusedBits == 0)
        {
            return;
        }

        switch (description.BitsAllocated)
        {
            case 8:
                Normalize(frame, unusedBits, description.IsSigned);
                break;
            case 16:
                Normalize(MemoryMarshal.Cast<byte, short>(frame), unusedBits, description.IsSigned);
                break;
            default:
                Normalize(MemoryMarshal.Cast<byte, int>(frame), unusedBits, description.IsSigned);
                break;
        }
    }

    private static void Normalize(Span<byte> samples, int unusedBits, bool signed)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = signed
                ? (byte)((sbyte)(samples[i] << unusedBits) >> unusedBits)
                : (byte)((byte)(samples[i] << unusedBits) >> unusedBits);
        }
    }

    private static void Normalize(Span<short> samples, int unusedBits, bool signed)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<short>> vectors = MemoryMarshal.Cast<short, Vector<short>>(samples);
            for (int v = 0; v < vectors.Length; v++)
            {
                Vector<short> shifted = Vector.ShiftLeft(vectors[v], unusedBits);
                vectors[v] = signed
                    ? Vector.ShiftRightArithmetic(shifted, unusedBits)
                    : Vector.AsVectorInt16(Vector.ShiftRightLogical(Vector.AsVectorUInt16(shifted), unusedBits));
            }

            i = vectors.Length * Vector<short>.Count;
        }

        for (; i < samples.Length; i++)
        {
            samples[i] = signed
                ? (short)((short)(samples[i] << unusedBits) >> unusedBits)
                : (short)((ushort)(samples[i] << unusedBits) >> unusedBits);
        }
    }

    private static void Normalize(Span<int> samples, int unusedBits, bool signed)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = signed
                ? (samples[i] << unusedBits) >> unusedBits
                : (int)((uint)(samples[i] << unusedBits) >> unusedBits);
        }
    }
}
