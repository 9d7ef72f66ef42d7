using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>
/// The model that produced an output, as the SEG's algorithm identification and the SR's device observer
/// show it.
/// </summary>
/// <param name="Name">Model name from the model contract.</param>
/// <param name="Version">Model version from the model contract.</param>
/// <param name="NotForClinicalUse">Whether outputs must carry the "NOT FOR CLINICAL USE" statement.</param>
public sealed record AlgorithmIdentification(string Name, string Version, bool NotForClinicalUse)
{
    /// <summary>Statement written into series descriptions and reports when <see cref="NotForClinicalUse"/> is set.</summary>
    public const string NotForClinicalUseStatement = "NOT FOR CLINICAL USE";

    /// <summary>Manufacturer written into the equipment modules of every output.</summary>
    public const string Manufacturer = "IchFunctions";

    public static AlgorithmIdentification FromContract(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new AlgorithmIdentification(contract.ModelName, contract.ModelVersion, contract.NotForClinicalUse);
    }

    /// <summary>Throws when the name or version cannot be written into DICOM (LO allows 64 characters, no backslash).</summary>
    public void Validate()
    {
        CheckText(Name, nameof(Name));
        CheckText(Version, nameof(Version));
    }

    /// <summary>Returns a series description naming the model, with the statement where required; at most 64 characters.</summary>
    public string SeriesDescription(string kind)
    {
        string text = $"{kind} {Name} {Version}";
        if (NotForClinicalUse)
        {
            text = $"{text} {NotForClinicalUseStatement}";
        }

        // Keep the statement whole when the model name is long: it is the part that must reach the viewer.
        return text.Length <= 64 ? text : NotForClinicalUse
            ? string.Concat(text.AsSpan(0, 64 - NotForClinicalUseStatement.Length - 1), " ", NotForClinicalUseStatement)
            : text[..64];
    }

    private static void CheckText(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64 || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The model {field} '{value}' cannot be written into DICOM: it must be 1 to 64 characters without a backslash.", field);
        }
    }
}
