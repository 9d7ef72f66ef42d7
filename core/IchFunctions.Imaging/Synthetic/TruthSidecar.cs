using System.Text.Json;
using System.Text.Json.Serialization;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// The JSON sidecar written next to a synthetic exam: schema version, seed, every lesion's kind, label,
/// voxel count and volume in mL, and the total. Volumes are measured on the final mask.
/// </summary>
public sealed record TruthSidecar(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("not_for_clinical_use")] bool NotForClinicalUse,
    [property: JsonPropertyName("mask_file")] string MaskFile,
    [property: JsonPropertyName("total_volume_ml")] double TotalVolumeMl,
    [property: JsonPropertyName("lesions")] IReadOnlyList<TruthSidecar.Lesion> Lesions)
{
    /// <summary>Version of this sidecar format; readers reject other major versions.</summary>
    public const string SchemaVersion = "ich-synthetic-truth/1";

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static TruthSidecar From(SyntheticExam exam, int seed, string maskFile)
    {
        ArgumentNullException.ThrowIfNull(exam);
        return new TruthSidecar(
            SchemaVersion,
            seed,
            NotForClinicalUse: true,
            maskFile,
            Math.Round(exam.HemorrhageVolumeMl, 4),
            exam.Lesions.Select(l => new Lesion(l.Label, l.Kind, l.VoxelCount, Math.Round(l.VolumeMl, 4))).ToArray());
    }

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    public static TruthSidecar FromJson(string json)
    {
        TruthSidecar sidecar = JsonSerializer.Deserialize<TruthSidecar>(json, SerializerOptions)
            ?? throw new JsonException("The truth sidecar is empty.");
        if (sidecar.Schema != SchemaVersion)
        {
            throw new JsonException($"Unsupported truth sidecar schema '{sidecar.Schema}'; expected '{SchemaVersion}'.");
        }

        return sidecar;
    }

    /// <summary>One lesion of the sidecar.</summary>
    public sealed record Lesion(
        [property: JsonPropertyName("label")] byte Label,
        [property: JsonPropertyName("kind")] HemorrhageKind Kind,
        [property: JsonPropertyName("voxels")] int Voxels,
        [property: JsonPropertyName("volume_ml")] double VolumeMl);
}
