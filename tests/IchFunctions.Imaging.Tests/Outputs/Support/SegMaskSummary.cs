using System.Security.Cryptography;
using System.Text.Json;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Support;

/// <summary>Voxel count, value sum and SHA-256 of one segment mask, as the pydicom oracle prints them.</summary>
internal sealed record MaskSummary(int Count, long Sum, string Sha256)
{
    public static MaskSummary Of(byte[] mask) => new(
        mask.Count(value => value != 0), mask.Sum(value => (long)value), Convert.ToHexStringLower(SHA256.HashData(mask)));
}

/// <summary>Per-segment masks of a SEG as pydicom and numpy decode them (Support/pydicom_seg_masks.py).</summary>
internal sealed record SegMaskSummary(int Planes, IReadOnlyDictionary<int, MaskSummary> Segments)
{
    private static readonly string Script = File.ReadAllText(Path.Combine(
        TestData.RepositoryRoot, "tests", "IchFunctions.Imaging.Tests", "Outputs", "Support", "pydicom_seg_masks.py"));

    public static SegMaskSummary Of(SegmentMasks masks) => new(
        masks.Slices.Count, masks.Masks.ToDictionary(pair => pair.Key, pair => MaskSummary.Of(pair.Value)));

    public static async Task<SegMaskSummary> FromPydicomAsync(string segPath, string? sourceFolder, CancellationToken cancellationToken)
    {
        string[] arguments = sourceFolder is null ? [segPath] : [segPath, sourceFolder];
        string json = await PythonScript.RunAsync(Script, arguments, cancellationToken);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        var segments = new Dictionary<int, MaskSummary>();
        foreach (JsonProperty segment in root.GetProperty("segments").EnumerateObject())
        {
            segments[int.Parse(segment.Name, System.Globalization.CultureInfo.InvariantCulture)] = new MaskSummary(
                segment.Value.GetProperty("count").GetInt32(), segment.Value.GetProperty("sum").GetInt64(), segment.Value.GetProperty("sha256").GetString()!);
        }

        return new SegMaskSummary(root.GetProperty("planes").GetInt32(), segments);
    }
}
