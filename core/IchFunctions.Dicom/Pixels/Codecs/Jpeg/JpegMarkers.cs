namespace IchFunctions.Dicom.Pixels.Codecs.Jpeg;

/// <summary>JPEG marker codes (ITU-T T.81 Table B.1) and the JPEG-LS extension (ITU-T T.87).</summary>
internal static class JpegMarkers
{
    public const byte StartOfImage = 0xD8;
    public const byte EndOfImage = 0xD9;
    public const byte StartOfScan = 0xDA;
    public const byte DefineHuffmanTables = 0xC4;
    public const byte DefineRestartInterval = 0xDD;
    public const byte DefineNumberOfLines = 0xDC;
    public const byte StartOfFrameLossless = 0xC3;

    /// <summary>Whether a codestream starts with SOI, which every JPEG and JPEG-LS frame does.</summary>
    public static bool StartsWithStartOfImage(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 0xFF && data[1] == StartOfImage;

    /// <summary>Whether a marker is a start of frame (SOF0 to SOF15, without DHT, JPG and DAC).</summary>
    public static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not (DefineHuffmanTables or 0xC8 or 0xCC);

    /// <summary>Describes a SOF marker as the coding process it starts.</summary>
    public static string DescribeStartOfFrame(byte marker) => marker switch
    {
        0xC0 => "SOF0 (baseline DCT)",
        0xC1 => "SOF1 (extended sequential DCT)",
        0xC2 => "SOF2 (progressive DCT)",
        0xC3 => "SOF3 (lossless)",
        0xF7 => "SOF55 (JPEG-LS)",
        _ => $"SOF{marker - 0xC0} (marker 0xFF{marker:X2})",
    };
}
