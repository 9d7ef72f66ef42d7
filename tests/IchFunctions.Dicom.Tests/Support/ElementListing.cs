using IchFunctions.Testing;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IchFunctions.Dicom.Tests.Support;

/// <summary>
/// One line of an element listing in the shape dcmdump prints: nesting depth, tag, VR, value length ("u/l"
/// for undefined) and value text; null value text where the value is binary or was not loaded.
/// </summary>
internal sealed record ListedElement(int Depth, string Tag, string VR, string Length, string? Value)
{
    public override string ToString() => $"{new string(' ', Depth * 2)}({Tag}) {VR} [{Value}] #{Length}";
}

/// <summary>Builds comparable element listings from dcmdump output and from our data sets.</summary>
internal static partial class ElementListing
{
    [GeneratedRegex(@"^(?<indent> *)\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) (?<vr>\S\S) (?<value>.*?) *#\s*(?<length>\d+|u/l), *\d+ ")]
    private static partial Regex DcmdumpLine();

    [GeneratedRegex(@"#=(\d+)")]
    private static partial Regex ItemCount();

    private static readonly HashSet<string> BinaryVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "UN", "pi", "ox", "xs", "px", "lt"];

    /// <summary>Runs dcmdump on a file and returns its meta and data set listing.</summary>
    public static (List<ListedElement> Meta, List<ListedElement> Dataset) FromDcmdump(string path, params string[] extraOptions)
    {
        ExternalTool.Result result = ExternalTool.Run("dcmdump", ["-q", "+L", "-M", "-Un", "+U8", .. extraOptions, path]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dcmdump failed on {path} (exit {result.ExitCode}): {result.Error}");
        }

        var meta = new List<ListedElement>();
        var dataset = new List<ListedElement>();
        List<ListedElement> current = meta;
        foreach (string line in result.Output.Split('\n'))
        {
            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            {
                current = dataset;
                continue;
            }

            Match match = DcmdumpLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            string tag = match.Groups["tag"].Value;
            if (tag is "fffe,e00d" or "fffe,e0dd")
            {
                continue;
            }

            string vr = match.Groups["vr"].Value;
            string raw = match.Groups["value"].Value;
            string? value = vr == "SQ" || tag == "fffe,e000" && vr == "na" ? CountOf(raw)
                : raw == "(no value available)" ? ""
                : raw.StartsWith('[') && raw.EndsWith(']') ? raw[1..^1]
                : BinaryVRs.Contains(vr) || raw.StartsWith('(') ? null
                : raw;
            if (vr == "OB" && raw.StartsWith("(PixelSequence", StringComparison.Ordinal))
            {
                value = CountOf(raw);
            }

            current.Add(new ListedElement(match.Groups["indent"].Value.Length / 2, tag, vr, match.Groups["length"].Value, value));
        }

        return (meta, dataset);
    }

    /// <summary>Lists a data set the way <see cref="FromDcmdump"/> lists dcmdump's output.</summary>
    public static List<ListedElement> FromDataset(DicomDataset dataset)
    {
        var listing = new List<ListedElement>();
        Append(listing, dataset, 0);
        return listing;
    }

    private static void Append(List<ListedElement> listing, DicomDataset dataset, int depth)
    {
        foreach (DicomElement element in dataset)
        {
            string tag = $"{element.Tag.Group:x4},{element.Tag.Element:x4}";
            switch (element)
            {
                case DicomSequence sequence:
                    listing.Add(new ListedElement(depth, tag, "SQ", sequence.HadUndefinedLength ? "u/l" : "?", $"#={sequence.Items.Count}"));
                    foreach (DicomDataset item in sequence.Items)
                    {
                        listing.Add(new ListedElement(depth + 1, "fffe,e000", "na", "?", $"#={item.Count}"));
                        Append(listing, item, depth + 2);
                    }

                    break;
                case DicomEncapsulatedPixelData pixels:
                    listing.Add(new ListedElement(depth, tag, element.VR.ToString(), "u/l", $"#={pixels.Fragments.Count + 1}"));
                    listing.Add(new ListedElement(depth + 1, "fffe,e000", "pi", pixels.BasicOffsetTable.Length.ToString(CultureInfo.InvariantCulture), null));
                    foreach (ReadOnlyMemory<byte> fragment in pixels.Fragments)
                    {
                        listing.Add(new ListedElement(depth + 1, "fffe,e000", "pi", fragment.Length.ToString(CultureInfo.InvariantCulture), null));
                    }

                    break;
                default:
                    listing.Add(new ListedElement(depth, tag, element.VR.ToString(), element.Value.Length.ToString(CultureInfo.InvariantCulture), FormatValue(dataset, element)));
                    break;
            }
        }
    }

    private static string? FormatValue(DicomDataset dataset, DicomElement element)
    {
        DicomVR vr = element.VR;
        if (element.Value.IsEmpty)
        {
            return "";
        }

        if (vr.IsString)
        {
            return dataset.GetString(element.Tag);
        }

        if (vr == DicomVR.AT)
        {
            return string.Join('\\', dataset.GetTags(element.Tag).Select(tag => $"({tag.Group:x4},{tag.Element:x4})"));
        }

        if (vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.SV || vr == DicomVR.UV
            || vr == DicomVR.FL || vr == DicomVR.FD)
        {
            return string.Join('\\', dataset.GetDoubles(element.Tag).Select(value => value.ToString("R", CultureInfo.InvariantCulture)));
        }

        return null;
    }

    private static string? CountOf(string text)
    {
        Match match = ItemCount().Match(text);
        return match.Success ? $"#={match.Groups[1].Value}" : null;
    }

    /// <summary>True when two value texts agree: equal, or equal as numbers within float precision.</summary>
    public static bool ValuesAgree(string expected, string actual)
    {
        if (expected == actual)
        {
            return true;
        }

        string[] left = expected.Split('\\');
        string[] right = actual.Split('\\');
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (!double.TryParse(left[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                || !double.TryParse(right[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
            {
                return false;
            }

            if (Math.Abs(a - b) > 1e-6 * Math.Max(1, Math.Abs(a)))
            {
                return false;
            }
        }

        return true;
    }

    public static string Describe(IEnumerable<ListedElement> elements)
    {
        var text = new StringBuilder();
        foreach (ListedElement element in elements)
        {
            text.AppendLine(element.ToString());
        }

        return text.ToString();
    }
}
