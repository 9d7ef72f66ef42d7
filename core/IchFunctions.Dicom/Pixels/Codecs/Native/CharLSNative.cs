using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Codecs.Native;

/// <summary>The CharLS 2.x C API (charls/charls_jpegls_decoder.h) used to decode JPEG-LS.</summary>
internal static partial class CharLSNative
{
    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_create")]
    public static partial IntPtr DecoderCreate();

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_set_source_buffer")]
    public static unsafe partial int SetSourceBuffer(IntPtr decoder, byte* source, nuint sourceSize);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_read_header")]
    public static partial int ReadHeader(IntPtr decoder);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_frame_info")]
    public static partial int GetFrameInfo(IntPtr decoder, out FrameInfo frameInfo);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_near_lossless")]
    public static partial int GetNearLossless(IntPtr decoder, int component, out int nearLossless);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_destination_size")]
    public static partial int GetDestinationSize(IntPtr decoder, uint stride, out nuint destinationSize);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")]
    public static unsafe partial int DecodeToBuffer(IntPtr decoder, byte* destination, nuint destinationSize, uint stride);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_get_error_message")]
    public static partial IntPtr GetErrorMessage(int error);

    public static string Describe(int error) =>
        $"CharLS error {error}: {Marshal.PtrToStringUTF8(GetErrorMessage(error)) ?? "unknown"}";
}
