using System.Collections.Frozen;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>Chooses the codec for a transfer syntax of encapsulated pixel data.</summary>
public sealed class PixelCodecRegistry
{
    private static readonly FrozenSet<string> NativeSyntaxes = new[]
    {
        TransferSyntaxUids.ImplicitVRLittleEndian,
        TransferSyntaxUids.ExplicitVRLittleEndian,
        TransferSyntaxUids.DeflatedExplicitVRLittleEndian,
        TransferSyntaxUids.ExplicitVRBigEndian,
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, IPixelFrameCodec> _codecs;

    public PixelCodecRegistry(IReadOnlyDictionary<string, IPixelFrameCodec> codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        _codecs = codecs.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The codecs of this toolkit: RLE, JPEG lossless and DCT, JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG).</summary>
    public static PixelCodecRegistry Default { get; } = CreateDefault();

    /// <summary>Whether a transfer syntax stores Pixel Data native (uncompressed) rather than encapsulated.</summary>
    public static bool IsNative(string transferSyntaxUid) => NativeSyntaxes.Contains(NormalizeUid(transferSyntaxUid));

    /// <summary>Returns the codec registered for an encapsulated transfer syntax.</summary>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec decodes the transfer syntax.</exception>
    public IPixelFrameCodec GetCodec(string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        string uid = NormalizeUid(transferSyntaxUid);
        if (_codecs.TryGetValue(uid, out IPixelFrameCodec? codec))
        {
            return codec;
        }

        throw new UnsupportedTransferSyntaxException(
            uid,
            $"Transfer syntax {uid} is not supported for pixel data decoding. Supported: native syntaxes and "
            + $"{string.Join(", ", _codecs.Keys.Order(StringComparer.Ordinal))}. Ask the archive to transcode to "
            + $"Explicit VR Little Endian ({TransferSyntaxUids.ExplicitVRLittleEndian}) on retrieve, or convert the file with dcmconv or gdcmconv.");
    }

    /// <summary>Removes the trailing NUL padding that UI values may carry.</summary>
    internal static string NormalizeUid(string uid) => uid.TrimEnd('\0', ' ');

    private static PixelCodecRegistry CreateDefault()
    {
        var jpegLossless = new JpegLosslessCodec();
        var jpegDct = new JpegDctCodec();
        return new PixelCodecRegistry(new Dictionary<string, IPixelFrameCodec>
        {
            [TransferSyntaxUids.RleLossless] = new RleLosslessCodec(),
            [TransferSyntaxUids.JpegBaseline8Bit] = jpegDct,
            [TransferSyntaxUids.JpegExtended12Bit] = jpegDct,
            [TransferSyntaxUids.JpegLossless] = jpegLossless,
            [TransferSyntaxUids.JpegLosslessSV1] = jpegLossless,
            [TransferSyntaxUids.JpegLSLossless] = new JpegLSCodec(TransferSyntaxUids.JpegLSLossless),
            [TransferSyntaxUids.JpegLSNearLossless] = new JpegLSCodec(TransferSyntaxUids.JpegLSNearLossless),
            [TransferSyntaxUids.Jpeg2000Lossless] = new Jpeg2000Codec(TransferSyntaxUids.Jpeg2000Lossless),
            [TransferSyntaxUids.Jpeg2000] = new Jpeg2000Codec(TransferSyntaxUids.Jpeg2000),
        });
    }
}
