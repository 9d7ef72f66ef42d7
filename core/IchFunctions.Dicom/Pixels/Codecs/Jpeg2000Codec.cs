using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IchFunctions.Dicom.Pixels.Codecs.Native;
using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>
/// JPEG 2000 lossless (1.2.840.10008.1.2.4.90) and lossy (1.2.840.10008.1.2.4.91) through the system OpenJPEG 2.x
/// library, loaded on first use. Accepts a raw J2K codestream, as DICOM requires, or a JP2 file.
/// </summary>
public sealed unsafe class Jpeg2000Codec : IPixelFrameCodec
{
    private static readonly byte[] CodestreamSignature = [0xFF, 0x4F, 0xFF, 0x51];
    private static readonly byte[] Jp2Signature = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20];

    [ThreadStatic]
    private static string? t_lastError;

    private readonly string _transferSyntaxUid;

    public Jpeg2000Codec(string transferSyntaxUid)
    {
        _transferSyntaxUid = transferSyntaxUid;
    }

    public string Name => "JPEG 2000 (OpenJPEG)";

    public FrameStartDetector? FrameStartDetector => IsFrameStart;

    public void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        ReadOnlySpan<byte> codestream = encodedFrame.Span;
        NativeCodecLibrary.EnsureLoaded(NativeCodecLibrary.OpenJpeg, _transferSyntaxUid);
        if (destination.Length < description.FrameLength)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes but one frame needs {description.FrameLength}.", nameof(destination));
        }

        int format = codestream.StartsWith(CodestreamSignature) ? OpenJpegNative.CodecJ2K
            : codestream.StartsWith(Jp2Signature) ? OpenJpegNative.CodecJP2
            : throw new DicomPixelDataException("JPEG 2000 frame starts with neither the SOC and SIZ markers (FF4F FF51) nor a JP2 signature box; the codestream is corrupt.");

        t_lastError = null;
        IntPtr stream = IntPtr.Zero;
        IntPtr codec = IntPtr.Zero;
        OpenJpegNative.Image* image = null;
        void* parameters = NativeMemory.AllocZeroed(OpenJpegNative.DecoderParametersSize);
        fixed (byte* data = codestream)
        {
            var source = new MemorySource { Data = data, Length = codestream.Length };
            try
            {
                stream = OpenJpegNative.StreamCreate((nuint)Math.Min(Math.Max(codestream.Length, 4096), 1 << 20), 1);
                codec = OpenJpegNative.CreateDecompress(format);
                if (stream == IntPtr.Zero || codec == IntPtr.Zero)
                {
                    throw new InvalidOperationException("OpenJPEG could not create a stream or decoder.");
                }

                OpenJpegNative.StreamSetReadFunction(stream, &Read);
                OpenJpegNative.StreamSetSkipFunction(stream, &Skip);
                OpenJpegNative.StreamSetSeekFunction(stream, &Seek);
                OpenJpegNative.StreamSetUserData(stream, &source, IntPtr.Zero);
                OpenJpegNative.StreamSetUserDataLength(stream, (ulong)codestream.Length);
                Check(OpenJpegNative.SetErrorHandler(codec, &OnError, null), "installing the error handler");
                OpenJpegNative.SetDefaultDecoderParameters(parameters);
                Check(OpenJpegNative.SetupDecoder(codec, parameters), "setting up the decoder");
                Check(OpenJpegNative.ReadHeader(stream, codec, out image), "reading the header");

                // The header is checked against the data set before decoding, so a corrupt size cannot make
                // OpenJPEG allocate more than the frame the data set declares.
                CheckHeader(image, description);
                Check(OpenJpegNative.Decode(codec, stream, image), "decoding");
                Check(OpenJpegNative.EndDecompress(codec, stream), "finishing the decode");
                CopyComponents(image, description, destination);
            }
            finally
            {
                if (image is not null)
                {
                    OpenJpegNative.ImageDestroy(image);
                }

                if (codec != IntPtr.Zero)
                {
                    OpenJpegNative.DestroyCodec(codec);
                }

                if (stream != IntPtr.Zero)
                {
                    OpenJpegNative.StreamDestroy(stream);
                }

                NativeMemory.Free(parameters);
            }
        }

        PixelSampleBits.Normalize(destination[..description.FrameLength], description);
    }

    private static bool IsFrameStart(ReadOnlySpan<byte> fragment) =>
        fragment.StartsWith(CodestreamSignature) || fragment.StartsWith(Jp2Signature);

    private static void CheckHeader(OpenJpegNative.Image* image, PixelDescription description)
    {
        long width = (long)image->X1 - image->X0;
        long height = (long)image->Y1 - image->Y0;
        if (width != description.Columns || height != description.Rows || image->ComponentCount != description.SamplesPerPixel)
        {
            throw new DicomPixelDataException(
                $"JPEG 2000 image is {height} rows x {width} columns x {image->ComponentCount} components but the data set declares "
                + $"{description.Rows} x {description.Columns} x {description.SamplesPerPixel} (Rows, Columns, Samples per Pixel).");
        }

        for (int c = 0; c < image->ComponentCount; c++)
        {
            OpenJpegNative.ImageComponent* component = image->Components + c;
            if (component->Dx != 1 || component->Dy != 1)
            {
                throw new DicomPixelDataException($"JPEG 2000 component {c} is subsampled ({component->Dx} x {component->Dy}); only full-resolution components are supported.");
            }

            if (component->Precision is < 1 or > 32 || component->Precision > description.BitsAllocated)
            {
                throw new DicomPixelDataException(
                    $"JPEG 2000 component {c} has {component->Precision} bits of precision but Bits Allocated (0028,0100) is {description.BitsAllocated}.");
            }
        }
    }

    private static void CopyComponents(OpenJpegNative.Image* image, PixelDescription description, Span<byte> destination)
    {
        int pixels = description.Rows * description.Columns;
        int samples = description.SamplesPerPixel;
        for (int c = 0; c < samples; c++)
        {
            OpenJpegNative.ImageComponent* component = image->Components + c;
            if (component->Data is null || component->Width != description.Columns || component->Height != description.Rows)
            {
                throw new DicomPixelDataException($"OpenJPEG decoded component {c} as {component->Height} x {component->Width}, not the full image; the codestream is incomplete.");
            }

            var values = new ReadOnlySpan<int>(component->Data, pixels);
            switch (description.BytesPerSample)
            {
                case 1:
                    for (int i = 0; i < pixels; i++)
                    {
                        destination[(i * samples) + c] = (byte)values[i];
                    }

                    break;
                case 2:
                    Span<short> words = MemoryMarshal.Cast<byte, short>(destination);
                    for (int i = 0; i < pixels; i++)
                    {
                        words[(i * samples) + c] = (short)values[i];
                    }

                    break;
                default:
                    Span<int> integers = MemoryMarshal.Cast<byte, int>(destination);
                    for (int i = 0; i < pixels; i++)
                    {
                        integers[(i * samples) + c] = values[i];
                    }

                    break;
            }
        }
    }

    private static void Check(int result, string step)
    {
        if (result == 0)
        {
            string detail = t_lastError is { } message ? $": {message.Trim()}" : string.Empty;
            throw new DicomPixelDataException($"JPEG 2000 {step} failed{detail}; the codestream is corrupt or truncated.");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(byte* buffer, nuint count, void* userData)
    {
        var source = (MemorySource*)userData;
        long remaining = source->Length - source->Position;
        if (remaining <= 0)
        {
            return nuint.MaxValue;
        }

        long copied = count > (nuint)remaining ? remaining : (long)count;
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, copied);
        source->Position += copied;
        return (nuint)copied;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Skip(long count, void* userData)
    {
        var source = (MemorySource*)userData;
        long target = Math.Clamp(source->Position + count, 0, source->Length);
        long skipped = target - source->Position;
        source->Position = target;
        return skipped;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Seek(long position, void* userData)
    {
        var source = (MemorySource*)userData;
        if (position < 0 || position > source->Length)
        {
            return 0;
        }

        source->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message, void* clientData) =>
        t_lastError = Marshal.PtrToStringUTF8((IntPtr)message);

    private struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }
}
