using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Codecs.Native;

/// <summary>The OpenJPEG 2.x C API (openjpeg.h) used to decode JPEG 2000 from memory.</summary>
internal static unsafe partial class OpenJpegNative
{
    public const int CodecJ2K = 0;
    public const int CodecJP2 = 2;

    /// <summary>Bytes reserved for opj_dparameters_t, which is about 8.3 KB in OpenJPEG 2.x.</summary>
    public const int DecoderParametersSize = 16 * 1024;

    /// <summary>opj_image_t of OpenJPEG 2.1 and later.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint ComponentCount;
        public int ColorSpace;
        public ImageComponent* Components;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    /// <summary>opj_image_comp_t of OpenJPEG 2.1 and later.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint Width;
        public uint Height;
        public uint X0;
        public uint Y0;
        public uint Precision;
        public uint BitsPerPixel;
        public uint Signed;
        public uint ResolutionsDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_create")]
    public static partial IntPtr StreamCreate(nuint bufferSize, int isInput);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_destroy")]
    public static partial void StreamDestroy(IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_read_function")]
    public static partial void StreamSetReadFunction(IntPtr stream, delegate* unmanaged[Cdecl]<byte*, nuint, void*, nuint> read);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_skip_function")]
    public static partial void StreamSetSkipFunction(IntPtr stream, delegate* unmanaged[Cdecl]<long, void*, long> skip);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_seek_function")]
    public static partial void StreamSetSeekFunction(IntPtr stream, delegate* unmanaged[Cdecl]<long, void*, int> seek);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_user_data")]
    public static partial void StreamSetUserData(IntPtr stream, void* userData, IntPtr freeFunction);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_user_data_length")]
    public static partial void StreamSetUserDataLength(IntPtr stream, ulong length);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_create_decompress")]
    public static partial IntPtr CreateDecompress(int format);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_destroy_codec")]
    public static partial void DestroyCodec(IntPtr codec);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_error_handler")]
    public static partial int SetErrorHandler(IntPtr codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* clientData);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_default_decoder_parameters")]
    public static partial void SetDefaultDecoderParameters(void* parameters);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_setup_decoder")]
    public static partial int SetupDecoder(IntPtr codec, void* parameters);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_read_header")]
    public static partial int ReadHeader(IntPtr stream, IntPtr codec, out Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_decode")]
    public static partial int Decode(IntPtr codec, IntPtr stream, Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_end_decompress")]
    public static partial int EndDecompress(IntPtr codec, IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_image_destroy")]
    public static partial void ImageDestroy(Image* image);
}
