using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IchFunctions.Dicom;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Encapsulated;
using IchFunctions.Dicom.Pixels.Hounsfield;

namespace IchFunctions.Benchmarks;

/// <summary>
/// One slice of the benchmark series, loaded before timing starts. Stand-in until the toolkit's parser exists:
/// attributes come from DCMTK's dcmdump and Pixel Data from a scan for the last (7FE0,0010) element of an
/// Explicit VR Little Endian file, so the benchmarks time decoding and HU conversion only, not parsing.
/// </summary>
public sealed partial class SeriesSlice
{
    private SeriesSlice(string path, string transferSyntaxUid, PixelDescription description, HounsfieldRescale rescale, byte[] file)
    {
        Path = path;
        TransferSyntaxUid = transferSyntaxUid;
        Description = description;
        Rescale = rescale;
        File = file;
    }

    /// <summary>The file the slice was loaded from.</summary>
    public string Path { get; }

    public string TransferSyntaxUid { get; }

    public PixelDescription Description { get; }

    public HounsfieldRescale Rescale { get; }

    /// <summary>The whole file, as a reader of the file would hold it.</summary>
    public byte[] File { get; }

    public ReadOnlyMemory<byte>? NativePixelData { get; private set; }

    public EncapsulatedPixelData? Encapsulated { get; private set; }

    /// <summary>Loads every *.dcm file of a folder in name order.</summary>
    public static SeriesSlice[] LoadFolder(string folder) =>
        [.. Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).Select(Load)];

    public static SeriesSlice Load(string path)
    {
        Dictionary<string, string> attributes = Dump(path);
        string Get(string tag) => attributes[tag];
        int Integer(string tag) => int.Parse(Get(tag), CultureInfo.InvariantCulture);
        double Decimal(string tag, double fallback) =>
            attributes.TryGetValue(tag, out string? value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var description = new PixelDescription(
            Integer("0028,0010"),
            Integer("0028,0011"),
            Integer("0028,0002"),
            Integer("0028,0100"),
            Integer("0028,0101"),
            Integer("0028,0102"),
            (PixelRepresentation)Integer("0028,0103"),
            PhotometricInterpretations.Parse(Get("0028,0004")));
        var rescale = new HounsfieldRescale(
            Decimal("0028,1053", 1),
            Decimal("0028,1052", 0),
            attributes.ContainsKey("0028,0120") ? Integer("0028,0120") : null);
        var slice = new SeriesSlice(path, Get("0002,0010"), description, rescale, System.IO.File.ReadAllBytes(path));
        slice.ScanPixelData();
        return slice;
    }

    private void ScanPixelData()
    {
        byte[] file = File;
        int at = file.AsSpan().LastIndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00 });
        if (at < 0 || file[at + 4] != (byte)'O')
        {
            throw new InvalidDataException("No Explicit VR Little Endian Pixel Data element found.");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
        int position = at + 12;
        if (length != uint.MaxValue)
        {
            NativePixelData = file.AsMemory(position, (int)length);
            return;
        }

        var items = new List<ReadOnlyMemory<byte>>();
        while (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position + 2)) == 0xE000)
        {
            int itemLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
            items.Add(file.AsMemory(position + 8, itemLength));
            position += 8 + itemLength;
        }

        Encapsulated = new EncapsulatedPixelData(items[0], items[1..]);
    }

    private static Dictionary<string, string> Dump(string path)
    {
        string[] tags = ["0002,0010", "0028,0002", "0028,0004", "0028,0010", "0028,0011", "0028,0100", "0028,0101", "0028,0102", "0028,0103", "0028,0120", "0028,1052", "0028,1053"];
        string output = Tools.Run("dcmdump", ["-q", "-Un", "+sb", "7fe0,0010", .. tags.SelectMany(tag => new[] { "+P", tag }), path]);
        var attributes = new Dictionary<string, string>();
        foreach (Match match in DumpLine().Matches(output))
        {
            attributes.TryAdd(match.Groups["tag"].Value, match.Groups["value"].Value.Trim().Trim('[', ']'));
        }

        return attributes;
    }

    [GeneratedRegex(@"^\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) [A-Z]{2} (?<value>.*?)\s+#", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}

/// <summary>Runs DCMTK tools and the pydicom peer.</summary>
public static class Tools
{
    public static string Run(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed with exit code {process.ExitCode}: {error.Result}");
        }

        return output;
    }
}
