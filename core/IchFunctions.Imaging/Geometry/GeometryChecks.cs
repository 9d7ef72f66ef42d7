using System.Globalization;

namespace IchFunctions.Imaging.Geometry;

/// <summary>Checks of an ordered stack that produce findings rather than rejections.</summary>
internal static class GeometryChecks
{
    /// <summary>Reports variable spacing, and gaps or overlap measured against the neighbours' slice thickness.</summary>
    public static void ReportSpacing(SliceGeometry[] slices, double[] distances, GeometryOptions options, List<GeometryFinding> findings)
    {
        if (slices.Length < 2)
        {
            return;
        }

        double[] spacings = Enumerable.Range(0, slices.Length - 1).Select(i => distances[i + 1] - distances[i]).ToArray();
        if (spacings.Max() - spacings.Min() > options.SpacingToleranceMm)
        {
            string values = string.Join(", ", spacings.Select(s => Math.Round(s, 2)).Distinct().Select(s => s.ToString("0.##", CultureInfo.InvariantCulture)));
            findings.Add(new GeometryFinding(GeometryFindingKind.VariableSpacing, $"Spacing along the normal varies: {values} mm."));
        }

        for (int i = 0; i < spacings.Length; i++)
        {
            double? expected = ExpectedSpacing(slices, spacings, i);
            if (expected is null)
            {
                continue;
            }

            if (spacings[i] > expected.Value + options.SpacingToleranceMm)
            {
                findings.Add(new GeometryFinding(GeometryFindingKind.Gap, Invariant(
                    $"Gap of {spacings[i]:0.##} mm between slices {i + 1} and {i + 2} (in anatomical order), where {expected.Value:0.##} mm was expected: slices may be missing.")));
            }
            else if (slices[i].SliceThickness is > 0 && slices[i + 1].SliceThickness is > 0
                && spacings[i] < expected.Value - options.SpacingToleranceMm)
            {
                findings.Add(new GeometryFinding(GeometryFindingKind.Overlap, Invariant(
                    $"Slices {i + 1} and {i + 2} (in anatomical order) are {spacings[i]:0.##} mm apart but {expected.Value:0.##} mm thick on average: they overlap.")));
            }
        }
    }

    /// <summary>Reports distinct Slice Thickness values.</summary>
    public static void ReportThickness(SliceGeometry[] slices, List<GeometryFinding> findings)
    {
        double[] thicknesses = slices.Where(s => s.SliceThickness is not null).Select(s => Math.Round(s.SliceThickness!.Value, 3)).Distinct().Order().ToArray();
        if (thicknesses.Length > 1)
        {
            string values = string.Join(", ", thicknesses.Select(t => t.ToString("0.###", CultureInfo.InvariantCulture)));
            findings.Add(new GeometryFinding(GeometryFindingKind.MixedSliceThickness, $"Slice Thickness varies within the series: {values} mm."));
        }
    }

    /// <summary>Returns the angle between the normal and the stacking direction in degrees, reporting it above the threshold.</summary>
    public static double ReportTilt(SliceGeometry[] slices, Vector3D normal, GeometryOptions options, List<GeometryFinding> findings)
    {
        if (slices.Length < 2)
        {
            return 0;
        }

        Vector3D stacking = slices[^1].Position - slices[0].Position;
        double tilt = normal.UnsignedAngleDegrees(stacking);
        if (tilt > options.TiltThresholdDegrees)
        {
            findings.Add(new GeometryFinding(GeometryFindingKind.GantryTilt, Invariant(
                $"Gantry tilt of {tilt:0.#} degrees: the slice plane is not orthogonal to the stacking direction, so the volume is sheared.")));
        }

        return tilt;
    }

    /// <summary>
    /// The distance expected between slices i and i+1: the mean of their thicknesses when both are known,
    /// else the smaller neighbouring spacing, else null (two slices without thickness).
    /// </summary>
    private static double? ExpectedSpacing(SliceGeometry[] slices, double[] spacings, int i)
    {
        if (slices[i].SliceThickness is > 0 && slices[i + 1].SliceThickness is > 0)
        {
            return (slices[i].SliceThickness!.Value + slices[i + 1].SliceThickness!.Value) / 2;
        }

        var neighbours = new List<double>(2);
        if (i > 0)
        {
            neighbours.Add(spacings[i - 1]);
        }

        if (i < spacings.Length - 1)
        {
            neighbours.Add(spacings[i + 1]);
        }

        return neighbours.Count == 0 ? null : neighbours.Min() * 1.5;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
