using IchFunctions.Dicom.Pixels.Codecs;
using System.Buffers;
using IchFunctions.Dicom.Pixels.Encapsulated;
using IchFunctions.Dicom.Pixels.Hounsfield;
using IchFunctions.Dicom.Pixels.Native;

namespace IchFunctions.Dicom.Pixels;

/// <summary>
/// Decodes the frames of one data set's Pixel Data, native or encapsulated, into the decoded layout of
/// <see cref="PixelDescription"/>. Create one per data set with <see cref="Create"/>; it is not thread-safe.
/// </summary>
public abstract class PixelFrameReader
{
    private protected PixelFrameReader(string transferSyntaxUid, PixelDescription description)
    {
        TransferSyntaxUid = transferSyntaxUid;
        Description = description;
    }

    /// <summary>Transfer syntax UID of the data set.</summary>
    public string TransferSyntaxUid { get; }

    /// <summary>Image pixel attributes of the data set.</summary>
    public PixelDescription Description { get; }

    /// <summary>
    /// Checks that the Pixel Data matches the transfer syntax and returns a reader for its frames.
    /// </summary>
    /// <param name="transferSyntaxUid">Transfer Syntax UID (0002,0010).</param>
    /// <param name="description">Image pixel attributes.</param>
    /// <param name="nativePixelData">Value of Pixel Data when it has a defined length, else null. A null byte[]
    /// converts to empty memory rather than to null, so pass null itself when there is no native value.</param>
    /// <param name="encapsulatedPixelData">Items of Pixel Data when it has undefined length, else null.</param>
    /// <param name="registry">Codecs to use; <see cref="PixelCodecRegistry.Default"/> when null.</param>
    /// <exception cref="DicomPixelDataException">Pixel Data is missing or its encoding contradicts the transfer syntax.</exception>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec decodes the transfer syntax.</exception>
    public static PixelFrameReader Create(
        string transferSyntaxUid,
        PixelDescription description,
        ReadOnlyMemory<byte>? nativePixelData,
        EncapsulatedPixelData? encapsulatedPixelData,
        PixelCodecRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        ArgumentNullException.ThrowIfNull(description);
        string uid = PixelCodecRegistry.NormalizeUid(transferSyntaxUid);
        bool native = PixelCodecRegistry.IsNative(uid);
        if (nativePixelData is null && encapsulatedPixelData is null)
        {
            throw new DicomPixelDataException(
                "The data set has no Pixel Data (7FE0,0010). Images whose pixels sit in private elements (vendor-specific "
                + "compression) or in Float/Double Float Pixel Data cannot be decoded; export them from the scanner or archive with standard Pixel Data.");
        }

        if (native)
        {
            if (nativePixelData is not { } bytes)
            {
                throw new DicomPixelDataException(
                    $"Transfer syntax {uid} stores Pixel Data (7FE0,0010) native, but the Pixel Data is encapsulated (undefined length with fragments). "
                    + "The transfer syntax in the file meta information does not match the pixel data; correct the Transfer Syntax UID (0002,0010).");
            }

            return new NativeFrameReader(uid, description, bytes);
        }

        IPixelFrameCodec codec = (registry ?? PixelCodecRegistry.Default).GetCodec(uid);
        if (encapsulatedPixelData is null)
        {
            throw new DicomPixelDataException(
                $"Transfer syntax {uid} ({codec.Name}) requires encapsulated Pixel Data (7FE0,0010), but the Pixel Data has a defined length of "
                + $"{nativePixelData!.Value.Length} bytes, as native pixel data does. The transfer syntax in the file meta information does not "
                + "match the pixel data; correct the Transfer Syntax UID (0002,0010) or re-encode the file.");
        }

        return new EncapsulatedFrameReader(uid, description, encapsulatedPixelData, codec);
    }

    /// <summary>Decodes frame <paramref name="frameIndex"/> into the first <see cref="PixelDescription.FrameLength"/> bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="DicomPixelDataException">The frame is truncated or its codestream is corrupt.</exception>
    public abstract void DecodeFrame(int frameIndex, Span<byte> destination);

    /// <summary>
    /// Decodes frame <paramref name="frameIndex"/> and converts it to Hounsfield units in <paramref name="destination"/>
    /// (Rows x Columns values), for example one slice of an int16 volume. Uses a pooled buffer for the decoded frame,
    /// or none for native little-endian data whose Bits Stored equals Bits Allocated.
    /// </summary>
    /// <exception cref="DicomPixelDataException">The frame cannot be decoded or is not single-sample.</exception>
    public virtual void DecodeFrameToHounsfield(int frameIndex, HounsfieldRescale rescale, Span<short> destination)
    {
        ArgumentNullException.ThrowIfNull(rescale);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Description.FrameLength);
        try
        {
            DecodeFrame(frameIndex, buffer);
            HounsfieldConverter.Convert(buffer, Description, rescale, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class NativeFrameReader(string transferSyntaxUid, PixelDescription description, ReadOnlyMemory<byte> pixelData)
        : PixelFrameReader(transferSyntaxUid, description)
    {
        public override void DecodeFrame(int frameIndex, Span<byte> destination) =>
            NativePixelDecoder.DecodeFrame(
                pixelData.Span,
                Description,
                frameIndex,
                TransferSyntaxUid == TransferSyntaxUids.ExplicitVRBigEndian,
                destination);

        public override void DecodeFrameToHounsfield(int frameIndex, HounsfieldRescale rescale, Span<short> destination)
        {
            bool decodedLayout = TransferSyntaxUid != TransferSyntaxUids.ExplicitVRBigEndian
                && Description.BitsStored == Description.BitsAllocated;
            if (!decodedLayout)
            {
                base.DecodeFrameToHounsfield(frameIndex, rescale, destination);
                return;
            }

            // The stored bytes already are the decoded layout, so they are converted in place without a copy.
            ArgumentNullException.ThrowIfNull(rescale);
            ReadOnlySpan<byte> frame = NativePixelDecoder.SliceFrame(pixelData.Span, Description, frameIndex);
            HounsfieldConverter.Convert(frame, Description, rescale, destination);
        }
    }

    private sealed class EncapsulatedFrameReader(
        string transferSyntaxUid,
        PixelDescription description,
        EncapsulatedPixelData pixelData,
        IPixelFrameCodec codec)
        : PixelFrameReader(transferSyntaxUid, description)
    {
        private EncapsulatedFrameTable? _frames;

        public override void DecodeFrame(int frameIndex, Span<byte> destination)
        {
            NativePixelDecoder.CheckFrameIndex(Description, frameIndex);
            NativePixelDecoder.CheckDestination(destination, Description.FrameLength);
            _frames ??= BuildFrameTable();
            using EncapsulatedFrame frame = _frames.GetFrame(frameIndex);
            try
            {
                codec.Decode(frame.Data, Description, destination);
            }
            catch (DicomPixelDataException exception)
            {
                throw new DicomPixelDataException(
                    $"Decoding frame {frameIndex} of {Description.NumberOfFrames} ({codec.Name}, transfer syntax {TransferSyntaxUid}, "
                    + $"fragment item offset {frame.Offset}, {frame.Data.Length} bytes) failed: {exception.Message}",
                    exception);
            }
        }

        private EncapsulatedFrameTable BuildFrameTable()
        {
            try
            {
                return EncapsulatedFrameTable.Build(pixelData, Description.NumberOfFrames, codec.FrameStartDetector);
            }
            catch (DicomPixelDataException exception)
            {
                throw new DicomPixelDataException(
                    $"Locating the frames of {codec.Name} pixel data (transfer syntax {TransferSyntaxUid}) failed: {exception.Message}",
                    exception);
            }
        }
    }
}
