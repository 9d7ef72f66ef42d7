using IchFunctions.Testing;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Encapsulated;

namespace IchFunctions.Dicom.Tests.Pixels.Support;

/// <summary>
/// Test support, to be replaced by the toolkit's own parser once it exists: reads the image pixel attributes of a
/// file with DCMTK's dcmdump and its Pixel Data (7FE0,0010) with a minimal byte scan, so the pixel decoders can be
/// tested against real files independently of the parser.
/// </summary>
/// <remarks>
/// The scan looks for the top-level Pixel Data element as the last element of the file, which holds for the test
/// data used here. Files in Implicit VR or Deflated transfer syntaxes are first rewritten by dcmconv +te.
/// </remarks>
internal sealed partial class TestPixelSource
{
    private static readonly string[] AttributeTags =
    [
        "0002,0010", "0028,0002", "0028,0004", "0028,0006", "0028,0008", "0028,0010", "0028,0011", "0028,0100",
        "0028,0101", "0028,0102", "0028,0103", "0028,0120", "0028,0121", "0028,1052", "0028,1053", "0028,2110",
        "0028,2112", "0028,2114",
    ];

    private TestPixelSource(string path, Dictionary<string, string> attributes)
    {
        Path = path;
        Attributes = attributes;
    }

    public string Path { get; }

    /// <summary>Top-level attribute values as dcmdump prints them, keyed by "gggg,eeee", brackets removed.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    public string TransferSyntaxUid => Attributes["0002,0010"];

    public bool IsBigEndian => TransferSyntaxUid == TransferSyntaxUids.ExplicitVRBigEndian;

    /// <summary>Value of native Pixel Data, clipped to the bytes the file holds; null when encapsulated or absent.</summary>
    public byte[]? NativePixelData { get; private set; }

    /// <summary>Value of encapsulated Pixel Data; null when native or absent.</summary>
    public EncapsulatedPixelData? Encapsulated { get; private set; }

    public PixelDescription Description => new(
        Integer("0028,0010"),
        Integer("0028,0011"),
        Integer("0028,0002"),
        Integer("0028,0100"),
        Integer("0028,0101"),
        Integer("0028,0102"),
        (PixelRepresentation)Integer("0028,0103"),
        PhotometricInterpretations.Parse(Attributes["0028,0004"]),
        (PlanarConfiguration)IntegerOrDefault("0028,0006", 0),
        IntegerOrDefault("0028,0008", 1));

    public static TestPixelSource Load(string path, TemporaryDirectory? scratch = null)
    {
        var arguments = new List<string> { "-q", "-Un", "+sb", "7fe0,0010" };
        foreach (string tag in AttributeTags)
        {
            arguments.Add("+P");
            arguments.Add(tag);
        }

        arguments.Add(path);
        var attributes = new Dictionary<string, string>();
        foreach (Match match in DumpLine().Matches(ExternalTool.RunChecked("dcmdump", [.. arguments])))
        {
            attributes.TryAdd(match.Groups["tag"].Value.ToUpperInvariant(), match.Groups["value"].Value.Trim().Trim('[', ']'));
        }

        var source = new TestPixelSource(path, attributes);
        string scanned = path;
        if (source.TransferSyntaxUid is TransferSyntaxUids.ImplicitVRLittleEndian or TransferSyntaxUids.DeflatedExplicitVRLittleEndian)
        {
            ArgumentNullException.ThrowIfNull(scratch);
            scanned = scratch.File(System.IO.Path.GetFileName(path) + ".explicit.dcm");
            ExternalTool.RunChecked("dcmconv", "+te", path, scanned);
        }

        source.ScanPixelData(File.ReadAllBytes(scanned));
        return source;
    }

    public int Integer(string tag) => int.Parse(Attributes[tag], CultureInfo.InvariantCulture);

    public int IntegerOrDefault(string tag, int fallback) =>
        Attributes.TryGetValue(tag, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double? Decimal(string tag) =>
        Attributes.TryGetValue(tag, out string? value) ? double.Parse(value.Split('\\')[0], CultureInfo.InvariantCulture) : null;

    private void ScanPixelData(byte[] file)
    {
        bool bigEndian = IsBigEndian;
        byte[] tag = bigEndian ? [0x7F, 0xE0, 0x00, 0x10] : [0xE0, 0x7F, 0x10, 0x00];
        int at = file.AsSpan().LastIndexOf(tag);
        if (at < 0)
        {
            return;
        }

        bool explicitVR = file.Length >= at + 12 && file[at + 4] is (byte)'O' or (byte)'U' && file[at + 5] is (byte)'B' or (byte)'W' or (byte)'N';
        int lengthAt = explicitVR ? at + 8 : at + 4;
        uint length = bigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(lengthAt))
            : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(lengthAt));
        int valueStart = lengthAt + 4;
        if (length != uint.MaxValue)
        {
            NativePixelData = file.AsSpan(valueStart, (int)Math.Min(length, (uint)(file.Length - valueStart))).ToArray();
            return;
        }

        var items = new List<ReadOnlyMemory<byte>>();
        int position = valueStart;
        while (position + 8 <= file.Length)
        {
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position));
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position + 2));
            int itemLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
            position += 8;
            if (group != 0xFFFE || element == 0xE0DD)
            {
                break;
            }

            items.Add(file.AsMemory(position, Math.Min(itemLength, file.Length - position)));
            position += itemLength;
        }

        Encapsulated = new EncapsulatedPixelData(items[0], items.Skip(1).ToList());
    }

    [GeneratedRegex(@"^\((?<tag>[0-9a-fA-F]{4},[0-9a-fA-F]{4})\) [A-Z]{2} (?<value>.*?)\s+#", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}
