using IchFunctions.Dicom.Pixels.Codecs.Jpeg;
using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>JPEG Lossless, process 14 (1.2.840.10008.1.2.4.57) and its first-order-prediction subset SV1 (1.2.840.10008.1.2.4.70).</summary>
public sealed class JpegLosslessCodec : IPixelFrameCodec
{
    public string Name => "JPEG Lossless";

    public FrameStartDetector? FrameStartDetector => JpegMarkers.StartsWithStartOfImage;

    public void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(description);
        ReadOnlySpan<byte> codestream = encodedFrame.Span;
        JpegLosslessDecoder.Decode(codestream, description, destination);
    }
}
