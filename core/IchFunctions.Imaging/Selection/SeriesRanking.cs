using System.Globalization;
using System.Text.RegularExpressions;

namespace IchFunctions.Imaging.Selection;

/// <summary>
/// Ranks eligible series: a soft-tissue kernel before a bone or sharp kernel, then slice thickness inside the
/// preferred range, then thickness nearest that range, then more slices, then the lower series number.
/// </summary>
internal static partial class SeriesRanking
{
    private static readonly string[] SharpWords = ["BONE", "LUNG", "EDGE", "SHARP", "DETAIL", "HIGH", "ULTRA"];

    /// <summary>Whether the kernel or description names a bone or sharp reconstruction.</summary>
    public static bool IsSharpKernel(InstanceHeader header)
    {
        foreach (string kernel in header.ConvolutionKernel)
        {
            string upper = kernel.ToUpperInvariant();
            if (SharpWords.Any(word => upper.Contains(word, StringComparison.Ordinal)))
            {
                return true;
            }

            // Siemens-style names (H60s, J70h, Hr64, Br64): the number is the sharpness; 50 and above are bone kernels.
            Match match = SiemensKernel().Match(upper);
            if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= 50)
            {
                return true;
            }
        }

        string description = header.SeriesDescription?.ToUpperInvariant() ?? "";
        return description.Contains("BONE", StringComparison.Ordinal);
    }

    /// <summary>Returns a sort key; smaller is better.</summary>
    public static (int Sharp, int OutsideRange, double DistanceToRange, int NegativeSlices, int SeriesNumber) Key(
        InstanceHeader first, int sliceCount, SelectionOptions options)
    {
        double thickness = first.SliceThickness ?? double.NaN;
        double distance = double.IsNaN(thickness)
            ? double.MaxValue
            : Math.Max(0, Math.Max(options.PreferredThicknessMinMm - thickness, thickness - options.PreferredThicknessMaxMm));
        return (IsSharpKernel(first) ? 1 : 0, distance > 0 ? 1 : 0, distance, -sliceCount, first.SeriesNumber ?? int.MaxValue);
    }

    /// <summary>Explains why the selected series ranked first, for the selection record.</summary>
    public static string ExplainSelection(InstanceHeader first, int sliceCount, int eligibleCount, SelectionOptions options)
    {
        string kernel = IsSharpKernel(first) ? "bone/sharp kernel (no soft-tissue series eligible)" : "soft-tissue kernel";
        string thickness = first.SliceThickness is double value
            ? string.Create(CultureInfo.InvariantCulture, $"{value:0.##} mm slices")
            : "unknown slice thickness";
        string range = string.Create(CultureInfo.InvariantCulture, $"preferred {options.PreferredThicknessMinMm:0.##}-{options.PreferredThicknessMaxMm:0.##} mm");
        return eligibleCount == 1
            ? $"The only eligible series: axial noncontrast head CT, {sliceCount} slices, {thickness}, {kernel}."
            : $"Ranked first of {eligibleCount} eligible series: {kernel}, {thickness} ({range}), {sliceCount} slices.";
    }

    [GeneratedRegex(@"^[A-Z]{1,2}R?(\d{2})[A-Z]?$")]
    private static partial Regex SiemensKernel();
}
