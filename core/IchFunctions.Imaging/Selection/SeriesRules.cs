using System.Globalization;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Selection;

/// <summary>The checks that decide whether one series is an axial noncontrast head CT the model can score.</summary>
internal static class SeriesRules
{
    private static readonly string[] HeadWords = ["HEAD", "BRAIN", "SKULL", "CRAN", "NEURO", "STROKE", "CEREB", "ENCEPH"];
    private static readonly string[] OtherBodyParts = ["CHEST", "LUNG", "THORAX", "ABDOMEN", "ABD", "PELVIS", "SPINE", "LSPINE", "TSPINE", "EXTREMITY", "KNEE", "HEART", "BREAST", "LIVER", "KIDNEY", "COLON", "NECK", "CSPINE"];
    private static readonly string[] NoContrastWords = ["NONE", "NO", "N/A", "NA", "0", "-"];
    private static readonly string[] ContrastPhrases = ["WITH CONTRAST", "W/ CONTRAST", "C+", "CTA", "ANGIO", "POST CONTRAST", "POSTCONTRAST", "ENHANCED"];

    /// <summary>Returns the reason to reject the series before its geometry is built, or null.</summary>
    public static string? RejectByHeader(InstanceHeader first, int instanceCount, SelectionOptions options)
    {
        if (!SopClasses.IsCtImage(first.SopClassUid))
        {
            return $"SOP class {SopClasses.Describe(first.SopClassUid)} is not a CT image.";
        }

        if (!string.Equals(first.Modality, "CT", StringComparison.OrdinalIgnoreCase))
        {
            return $"Modality is '{first.Modality ?? "missing"}', not CT.";
        }

        if (first.ImageType.Any(value => value.Equals("LOCALIZER", StringComparison.OrdinalIgnoreCase)))
        {
            return "Localizer (scout) image: Image Type contains LOCALIZER.";
        }

        if (options.RequireOriginalPrimary && !IsOriginalPrimary(first.ImageType))
        {
            return $"Image Type is '{string.Join('\\', first.ImageType)}', not ORIGINAL\\PRIMARY; the model scores original axial images.";
        }

        if (first.ImagePositionPatient.Count != 3 || first.ImageOrientationPatient.Count != 6 || first.PixelSpacing.Count != 2 || first.Rows is null || first.Columns is null)
        {
            return "Image Position (Patient), Image Orientation (Patient), Pixel Spacing, Rows or Columns is missing, so the slices cannot be placed in space.";
        }

        if (instanceCount * Math.Max(1, first.NumberOfFrames ?? 1) < options.MinimumSlices)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Only {instanceCount} slice{(instanceCount == 1 ? "" : "s")}; at least {options.MinimumSlices} are needed to score an exam.");
        }

        string? bodyPart = first.BodyPartExamined?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(bodyPart) && !ContainsAny(bodyPart, HeadWords) && OtherBodyParts.Contains(bodyPart))
        {
            return $"Body Part Examined is '{bodyPart}', not the head.";
        }

        return null;
    }

    /// <summary>Returns the reason to reject the series from its geometry, or null; adds warnings for what did not reject it.</summary>
    public static string? RejectByGeometry(InstanceHeader first, SeriesGeometry geometry, SelectionOptions options, List<string> warnings)
    {
        double fromAxial = geometry.Normal.UnsignedAngleDegrees(new Vector3D(0, 0, 1));
        if (fromAxial > options.MaxAxialAngleDegrees)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Not axial: the slice normal {geometry.Normal} is {fromAxial:0} degrees from the feet-head axis (a coronal or sagittal reformat?).");
        }

        if (!IsHeadByWords(first))
        {
            double fieldOfView = Math.Max(geometry.Rows * geometry.RowSpacing, geometry.Columns * geometry.ColumnSpacing);
            double extent = geometry.Distances[^1] - geometry.Distances[0];
            if (fieldOfView < options.HeadFieldOfViewMm.Min || fieldOfView > options.HeadFieldOfViewMm.Max || extent > 300)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Not recognisable as a head: no head in body part or descriptions, and the field of view ({fieldOfView:0} mm) or extent ({extent:0} mm) does not fit one.");
            }

            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"No header names the head; assumed from the field of view ({fieldOfView:0} mm) and extent ({extent:0} mm)."));
        }

        warnings.AddRange(geometry.Findings.Select(finding => finding.Message));
        return null;
    }

    /// <summary>Returns the contrast agent or phrase found in the header, or null for a noncontrast series.</summary>
    public static string? FindContrast(InstanceHeader first)
    {
        string? agent = first.ContrastBolusAgent?.Trim();
        if (!string.IsNullOrEmpty(agent) && !NoContrastWords.Contains(agent.ToUpperInvariant()))
        {
            return $"Contrast/Bolus Agent is '{agent}'";
        }

        foreach (string? text in new[] { first.SeriesDescription, first.ProtocolName, first.StudyDescription })
        {
            string upper = text?.ToUpperInvariant() ?? "";
            string? phrase = ContrastPhrases.FirstOrDefault(candidate => upper.Contains(candidate, StringComparison.Ordinal));
            if (phrase is not null && !upper.Contains("WITHOUT", StringComparison.Ordinal) && !upper.Contains("WO ", StringComparison.Ordinal))
            {
                return $"the description '{text}' says '{phrase}'";
            }
        }

        return null;
    }

    private static bool IsOriginalPrimary(IReadOnlyList<string> imageType) =>
        imageType.Count >= 2
        && imageType[0].Equals("ORIGINAL", StringComparison.OrdinalIgnoreCase)
        && imageType[1].Equals("PRIMARY", StringComparison.OrdinalIgnoreCase);

    private static bool IsHeadByWords(InstanceHeader header) =>
        new[] { header.BodyPartExamined, header.StudyDescription, header.SeriesDescription, header.ProtocolName }
            .Any(text => text is not null && ContainsAny(text.ToUpperInvariant(), HeadWords));

    private static bool ContainsAny(string text, string[] words) => words.Any(word => text.Contains(word, StringComparison.Ordinal));
}
