using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Pixels.Codecs;

/// <summary>Decodes one encoded frame of encapsulated pixel data into the decoded layout of <see cref="PixelDescription"/>.</summary>
public interface IPixelFrameCodec
{
    /// <summary>Short name of the codec for messages, such as "RLE Lossless".</summary>
    string Name { get; }

    /// <summary>Recognises the first fragment of a frame when the offset tables are empty; null when the codec has no start marker.</summary>
    FrameStartDetector? FrameStartDetector { get; }

    /// <summary>
    /// Decodes <paramref name="encodedFrame"/> into the first <see cref="PixelDescription.FrameLength"/> bytes of
    /// <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="DicomPixelDataException">The codestream is corrupt or does not match the description.</exception>
    void Decode(ReadOnlyMemory<byte> encodedFrame, PixelDescription description, Span<byte> destination);
}
