using IchFunctions.Dicom.Pixels.Codecs.Jpeg;
using IchFunctions.Dicom.Pixels.Codecs.Native;
using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>
/// JPEG-LS lossless (1.2.840.10008.1.2.4.80) and near-lossless (1.2.840.10008.1.2.4.81) through the system CharLS
/// 2.x library, loaded on first use.
/// </summary>
public sealed class JpegLSCodec : IPixelFrameCodec
{
    private readonly string _transferSyntaxUid;

    public JpegLSCodec(string transferSyntaxUid)
    {
        _transferSyntaxUid = transferSyntaxUid;
    }

    public string Name => "JPEG-LS (CharLS)";

    public FrameStartDetector? FrameStartDetector => JpegMarkers.StartsWithStartOfImage;

    public unsafe void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        ReadOnlySpan<byte> codestream = encodedFrame.Span;
        NativeCodecLibrary.EnsureLoaded(NativeCodecLibrary.CharLS, _transferSyntaxUid);
        int frameLength = description.FrameLength;
        if (destination.Length < frameLength)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes but one frame needs {frameLength}.", nameof(destination));
        }

        // NOTE: only truncation is caught before CharLS; other corruptions rely on CharLS itself, which passed the
        // mutation tests here but has looped on a truncated codestream, so a hostile codestream may still hang it.
        CheckEndOfImage(codestream);
        IntPtr decoder = CharLSNative.DecoderCreate();
        if (decoder == IntPtr.Zero)
        {
            throw new InvalidOperationException("CharLS could not create a decoder (charls_jpegls_decoder_create returned null).");
        }

        try
        {
            fixed (byte* source = codestream)
            fixed (byte* target = destination)
            {
                Check(CharLSNative.SetSourceBuffer(decoder, source, (nuint)codestream.Length), "reading the codestream");
                Check(CharLSNative.ReadHeader(decoder), "reading the JPEG-LS header");
                Check(CharLSNative.GetFrameInfo(decoder, out CharLSNative.FrameInfo info), "reading the frame header");
                CheckFrame(info, description);

                // CharLS writes interleaved samples of 1 byte (<= 8 bits) or 2 bytes (9 to 16 bits), which is the
                // decoded layout for Bits Allocated 8 and 16; the size check above the call keeps it inside the buffer.
                Check(CharLSNative.GetDestinationSize(decoder, 0, out nuint needed), "computing the decoded size");
                if (needed != (nuint)frameLength)
                {
                    throw new DicomPixelDataException(
                        $"JPEG-LS frame decodes to {needed} bytes but the data set describes {frameLength}; the codestream does not match the image pixel attributes.");
                }

                Check(CharLSNative.DecodeToBuffer(decoder, target, (nuint)frameLength, 0), "decoding");
            }
        }
        finally
        {
            CharLSNative.DecoderDestroy(decoder);
        }

        PixelSampleBits.Normalize(destination[..frameLength], description);
    }

    /// <summary>
    /// Rejects a codestream that does not end with EOI. CharLS 2.4.1 can loop without end on a truncated
    /// codestream, so truncation is caught here before the native call.
    /// </summary>
    private static void CheckEndOfImage(ReadOnlySpan<byte> codestream)
    {
        // Fragments are padded to even length, with 0x00 or (in the WG04 samples) 0xFF, so a few such bytes may follow EOI.
        const int MaxPadding = 8;
        ReadOnlySpan<byte> trimmed = codestream;
        while (trimmed.Length > 0 && codestream.Length - trimmed.Length < MaxPadding && trimmed[^1] is 0x00 or 0xFF)
        {
            trimmed = trimmed[..^1];
        }

        if (trimmed.Length < 4 || trimmed[^2] != 0xFF || trimmed[^1] != JpegMarkers.EndOfImage)
        {
            throw new DicomPixelDataException(
                $"JPEG-LS codestream of {codestream.Length} bytes does not end with the EOI marker (FFD9); the pixel data is truncated.");
        }
    }

    private static void CheckFrame(CharLSNative.FrameInfo info, PixelDescription description)
    {
        if (info.Width != description.Columns || info.Height != description.Rows || info.ComponentCount != description.SamplesPerPixel)
        {
            throw new DicomPixelDataException(
                $"JPEG-LS frame header is {info.Height} rows x {info.Width} columns x {info.ComponentCount} components but the data set declares "
                + $"{description.Rows} x {description.Columns} x {description.SamplesPerPixel} (Rows, Columns, Samples per Pixel).");
        }

        int sampleBytes = info.BitsPerSample <= 8 ? 1 : 2;
        if (info.BitsPerSample is < 2 or > 16 || sampleBytes != description.BytesPerSample)
        {
            throw new DicomPixelDataException(
                $"JPEG-LS frame has {info.BitsPerSample} bits per sample but Bits Allocated (0028,0100) is {description.BitsAllocated}; "
                + "JPEG-LS decodes 2 to 8 bits into 8-bit and 9 to 16 bits into 16-bit samples.");
        }
    }

    private static void Check(int error, string step)
    {
        if (error != 0)
        {
            throw new DicomPixelDataException($"JPEG-LS {step} failed ({CharLSNative.Describe(error)}); the codestream is corrupt or truncated.");
        }
    }
}
