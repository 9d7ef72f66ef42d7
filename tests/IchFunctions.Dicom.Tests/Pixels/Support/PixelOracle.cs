using IchFunctions.Testing;
using IchFunctions.Dicom.Pixels;

namespace IchFunctions.Dicom.Tests.Pixels.Support;

/// <summary>Decodes files with this toolkit and with DCMTK or GDCM, for comparison.</summary>
internal static class PixelOracle
{
    /// <summary>Decodes every frame of a file with <see cref="PixelFrameReader"/>.</summary>
    public static byte[] DecodeAllFrames(TestPixelSource source)
    {
        PixelDescription description = source.Description;
        PixelFrameReader reader = PixelFrameReader.Create(
            source.TransferSyntaxUid,
            description,
            // A null byte[] would convert to empty memory, not to a null ReadOnlyMemory<byte>?.
            source.NativePixelData is { } native ? (ReadOnlyMemory<byte>?)native : null,
            source.Encapsulated);
        var decoded = new byte[description.TotalLength];
        for (int frame = 0; frame < description.NumberOfFrames; frame++)
        {
            reader.DecodeFrame(frame, decoded.AsSpan(frame * description.FrameLength, description.FrameLength));
        }

        return decoded;
    }

    /// <summary>
    /// Decompresses a file to Explicit VR Little Endian with the reference tool for its transfer syntax
    /// (dcmdjpeg, dcmdrle, dcmdjpls, or gdcmconv --raw for JPEG 2000) and loads the result.
    /// </summary>
    public static TestPixelSource DecompressWithReferenceTool(string path, string transferSyntaxUid, TemporaryDirectory scratch)
    {
        string output = scratch.File(Path.GetFileName(path) + ".reference.dcm");
        switch (transferSyntaxUid)
        {
            case TransferSyntaxUids.RleLossless:
                ExternalTool.RunChecked("dcmdrle", "+te", path, output);
                break;
            case TransferSyntaxUids.JpegLSLossless or TransferSyntaxUids.JpegLSNearLossless:
                ExternalTool.RunChecked("dcmdjpls", "+te", path, output);
                break;
            case TransferSyntaxUids.Jpeg2000Lossless or TransferSyntaxUids.Jpeg2000:
                ExternalTool.RunChecked("gdcmconv", "--raw", path, output);
                break;
            default:
                ExternalTool.RunChecked("dcmdjpeg", "+te", path, output);
                break;
        }

        return TestPixelSource.Load(output, scratch);
    }

    /// <summary>Largest absolute difference between two decoded frames of signed or unsigned 8- or 16-bit samples.</summary>
    public static long MaxAbsoluteDifference(byte[] expected, byte[] actual, PixelDescription description)
    {
        long max = 0;
        int count = expected.Length / description.BytesPerSample;
        for (int i = 0; i < count; i++)
        {
            long difference = Math.Abs(Sample(expected, i, description) - Sample(actual, i, description));
            max = Math.Max(max, difference);
        }

        return max;
    }

    private static long Sample(byte[] data, int index, PixelDescription description) => (description.BytesPerSample, description.IsSigned) switch
    {
        (1, false) => data[index],
        (1, true) => (sbyte)data[index],
        (2, false) => BitConverter.ToUInt16(data, index * 2),
        (2, true) => BitConverter.ToInt16(data, index * 2),
        (_, false) => BitConverter.ToUInt32(data, index * 4),
        _ => BitConverter.ToInt32(data, index * 4),
    };
}
