using System.Globalization;

namespace IchFunctions.Imaging.Geometry;

/// <summary>
/// Orders the slices of one series by Image Position (Patient) projected on the slice normal (never by
/// Instance Number), checks that they form one volume, and derives each slice's slab thickness.
/// </summary>
public static class SeriesGeometryBuilder
{
    /// <summary>
    /// Builds the ordered geometry. Mixed orientation, matrix size or pixel spacing rejects the slices with a
    /// message, because they cannot share one voxel grid. Duplicates, gaps, spacing and tilt become findings.
    /// </summary>
    public static GeometryResult Build(IEnumerable<SliceGeometry> slices, GeometryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(slices);
        options ??= GeometryOptions.Default;
        var findings = new List<GeometryFinding>();

        List<SliceGeometry> unique = DropDuplicateInstances(slices, findings);
        if (unique.Count == 0)
        {
            return GeometryResult.Rejected("The series has no slices with image plane attributes.");
        }

        string? rejection = CheckSameGrid(unique, options);
        if (rejection is not null)
        {
            return GeometryResult.Rejected(rejection);
        }

        Vector3D normal = unique[0].Normal;
        List<(SliceGeometry Slice, double Distance)> ordered = unique
            .Select(slice => (slice, slice.Position.Dot(normal)))
            .OrderBy(entry => entry.Item2)
            .ToList();
        ordered = DropDuplicatePositions(ordered, options, findings);

        double[] distances = ordered.Select(entry => entry.Distance).ToArray();
        SliceGeometry[] orderedSlices = ordered.Select(entry => entry.Slice).ToArray();
        if (orderedSlices.Length == 1 && orderedSlices[0].SliceThickness is not > 0)
        {
            return GeometryResult.Rejected("A single slice without a positive Slice Thickness has no slab thickness; volumes cannot be measured.");
        }

        GeometryChecks.ReportSpacing(orderedSlices, distances, options, findings);
        GeometryChecks.ReportThickness(orderedSlices, findings);
        double tilt = GeometryChecks.ReportTilt(orderedSlices, normal, options, findings);
        double[] slabs = SlabThickness.Compute(orderedSlices, distances);

        return new GeometryResult(new SeriesGeometry(orderedSlices, normal, distances, slabs, tilt, findings), null);
    }

    private static List<SliceGeometry> DropDuplicateInstances(IEnumerable<SliceGeometry> slices, List<GeometryFinding> findings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<SliceGeometry>();
        int dropped = 0;
        foreach (SliceGeometry slice in slices)
        {
            if (seen.Add(slice.SopInstanceUid))
            {
                unique.Add(slice);
            }
            else
            {
                dropped++;
            }
        }

        if (dropped > 0)
        {
            findings.Add(new GeometryFinding(GeometryFindingKind.DuplicateInstance, Invariant(
                $"{dropped} duplicate cop{(dropped == 1 ? "y" : "ies")} of instances already present were ignored.")));
        }

        return unique;
    }

    private static string? CheckSameGrid(List<SliceGeometry> slices, GeometryOptions options)
    {
        SliceGeometry first = slices[0];
        foreach (SliceGeometry slice in slices)
        {
            string? invalid = DescribeInvalidPlane(slice);
            if (invalid is not null)
            {
                return invalid;
            }

            if (slice.Rows != first.Rows || slice.Columns != first.Columns)
            {
                return Invariant($"Mixed matrix sizes: {first.Rows}x{first.Columns} and {slice.Rows}x{slice.Columns} (rows x columns); split the series by matrix size.");
            }

            if (Math.Abs(slice.RowSpacing - first.RowSpacing) > options.PixelSpacingToleranceMm
                || Math.Abs(slice.ColumnSpacing - first.ColumnSpacing) > options.PixelSpacingToleranceMm)
            {
                return Invariant($"Mixed pixel spacing: {first.RowSpacing}\\{first.ColumnSpacing} mm and {slice.RowSpacing}\\{slice.ColumnSpacing} mm; split the series by pixel spacing.");
            }

            double rowAngle = Angle(slice.RowDirection, first.RowDirection);
            double columnAngle = Angle(slice.ColumnDirection, first.ColumnDirection);
            if (Math.Max(rowAngle, columnAngle) > options.OrientationToleranceDegrees)
            {
                return Invariant($"Mixed orientation: slices differ by {Math.Max(rowAngle, columnAngle):0.##} degrees; a series must have one Image Orientation (Patient).");
            }
        }

        return null;
    }

    private static string? DescribeInvalidPlane(SliceGeometry slice)
    {
        double rowLength = slice.RowDirection.Length;
        double columnLength = slice.ColumnDirection.Length;
        if (Math.Abs(rowLength - 1) > 0.01 || Math.Abs(columnLength - 1) > 0.01
            || Math.Abs(slice.RowDirection.Dot(slice.ColumnDirection)) > 0.01)
        {
            return Invariant($"Instance {slice.SopInstanceUid} has an invalid Image Orientation (Patient): row {slice.RowDirection} and column {slice.ColumnDirection} are not orthogonal unit vectors.");
        }

        if (!(slice.RowSpacing > 0) || !(slice.ColumnSpacing > 0))
        {
            return Invariant($"Instance {slice.SopInstanceUid} has an invalid Pixel Spacing {slice.RowSpacing}\\{slice.ColumnSpacing}; both values must be positive.");
        }

        if (slice.Rows <= 0 || slice.Columns <= 0)
        {
            return Invariant($"Instance {slice.SopInstanceUid} has an invalid matrix {slice.Rows}x{slice.Columns}.");
        }

        return null;
    }

    private static List<(SliceGeometry Slice, double Distance)> DropDuplicatePositions(
        List<(SliceGeometry Slice, double Distance)> ordered, GeometryOptions options, List<GeometryFinding> findings)
    {
        var kept = new List<(SliceGeometry Slice, double Distance)>(ordered.Count);
        foreach ((SliceGeometry slice, double distance) in ordered)
        {
            if (kept.Count > 0 && distance - kept[^1].Distance < options.PositionToleranceMm)
            {
                findings.Add(new GeometryFinding(GeometryFindingKind.DuplicatePosition, Invariant(
                    $"Instances {kept[^1].Slice.SopInstanceUid} and {slice.SopInstanceUid} share the position {distance:0.###} mm along the normal; the second was ignored.")));
                continue;
            }

            kept.Add((slice, distance));
        }

        return kept;
    }

    private static double Angle(Vector3D a, Vector3D b) =>
        Math.Acos(Math.Clamp(a.Normalize().Dot(b.Normalize()), -1.0, 1.0)) * 180.0 / Math.PI;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
