using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Tests.Geometry;

public sealed class SeriesGeometryBuilderTests
{
    private static readonly Vector3D AxialRow = new(1, 0, 0);
    private static readonly Vector3D AxialColumn = new(0, 1, 0);

    /// <summary>
    /// The header values of the GE HiSpeed head series with 18.5 degree gantry tilt: positions step 4.22 mm in z
    /// for slices 1-14 (4 mm thick), 1.14 mm to slice 15, then 7.38 mm (7 mm thick). The orientation's column
    /// direction is (0, 0.9483237, -0.3173047), so the normal is (0, 0.3173047, 0.9483237).
    /// </summary>
    private static List<SliceGeometry> GeHeadTiltHeader()
    {
        var row = new Vector3D(1, 0, 0);
        var column = new Vector3D(0, 0.9483237, -0.3173047);
        var slices = new List<SliceGeometry>();
        double z = 5.8360586;
        for (int instance = 1; instance <= 28; instance++)
        {
            double thickness = instance <= 14 ? 4.0 : 7.0;
            slices.Add(new SliceGeometry($"1.2.3.{instance}", new Vector3D(-125, -123.5404569, z), row, column, 0.4882812, 0.4882812, thickness, 512, 512, instance));
            if (instance < 14)
            {
                z += 4.22;
            }
            else if (instance == 14)
            {
                z += 1.14;
            }
            else
            {
                z += 7.38;
            }
        }

        return slices;
    }

    private static List<SliceGeometry> Axial(int count, double spacing = 5, double thickness = 5) =>
        Enumerable.Range(0, count)
            .Select(i => new SliceGeometry($"1.2.9.{i}", new Vector3D(-120, -120, i * spacing), AxialRow, AxialColumn, 0.5, 0.5, thickness, 256, 256, i + 1))
            .ToList();

    [Fact]
    public void Build_GeHeadTilt_MatchesHandCalculation()
    {
        SeriesGeometry geometry = SeriesGeometryBuilder.Build(GeHeadTiltHeader()).Stack!;

        // Neighbour distances along the normal are the z steps times the normal's z component.
        const double NormalZ = 0.9483237;
        double thin = 4.22 * NormalZ;     // 4.002 mm
        double overlap = 1.14 * NormalZ;  // 1.081 mm
        double thick = 7.38 * NormalZ;    // 6.999 mm
        Assert.Equal(28, geometry.Slices.Count);
        Assert.Equal(thin, geometry.Spacings[0], 5);
        Assert.Equal(overlap, geometry.Spacings[13], 5);
        Assert.Equal(thick, geometry.Spacings[14], 5);

        // Midpoint rule: the first slice extends half its 4 mm thickness outwards, the last half of min(7, thick).
        Assert.Equal(2.0 + (thin / 2), geometry.SlabThicknesses[0], 5);
        Assert.Equal(thin, geometry.SlabThicknesses[6], 5);
        Assert.Equal((thin + overlap) / 2, geometry.SlabThicknesses[13], 5);
        Assert.Equal((overlap + thick) / 2, geometry.SlabThicknesses[14], 5);
        Assert.Equal(thick, geometry.SlabThicknesses[20], 5);
        Assert.Equal(thick, geometry.SlabThicknesses[27], 5);
        Assert.Equal(18.5, geometry.TiltDegrees, 1);
    }

    [Fact]
    public void Build_GeHeadTilt_ReportsFindings()
    {
        SeriesGeometry geometry = SeriesGeometryBuilder.Build(GeHeadTiltHeader()).Stack!;

        GeometryFinding tilt = Assert.Single(geometry.Findings, f => f.Kind == GeometryFindingKind.GantryTilt);
        Assert.Contains("18.5 degrees", tilt.Message, StringComparison.Ordinal);
        Assert.Contains(geometry.Findings, f => f.Kind == GeometryFindingKind.VariableSpacing);
        Assert.Contains(geometry.Findings, f => f.Kind == GeometryFindingKind.MixedSliceThickness);
        GeometryFinding overlap = Assert.Single(geometry.Findings, f => f.Kind == GeometryFindingKind.Overlap);
        Assert.Contains("Slices 14 and 15", overlap.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(geometry.Findings, f => f.Kind == GeometryFindingKind.Gap);
    }

    [Fact]
    public void Build_ShuffledInput_OrdersByPosition()
    {
        List<SliceGeometry> slices = Axial(10);
        // Instance numbers that run against position must not matter.
        List<SliceGeometry> renumbered = slices.Select((s, i) => s with { InstanceNumber = 100 - i }).ToList();
        var shuffled = renumbered.OrderBy(s => s.SopInstanceUid.GetHashCode(StringComparison.Ordinal)).ToList();

        SeriesGeometry geometry = SeriesGeometryBuilder.Build(shuffled).Stack!;

        Assert.Equal(slices.Select(s => s.SopInstanceUid), geometry.Slices.Select(s => s.SopInstanceUid));
        Assert.Empty(geometry.Findings);
        Assert.All(geometry.SlabThicknesses, slab => Assert.Equal(5.0, slab, 9));
    }

    [Fact]
    public void Build_DuplicateInstance_IsDroppedAndReported()
    {
        List<SliceGeometry> slices = Axial(5);
        slices.Add(slices[2]);

        SeriesGeometry geometry = SeriesGeometryBuilder.Build(slices).Stack!;

        Assert.Equal(5, geometry.Slices.Count);
        Assert.Contains(geometry.Findings, f => f.Kind == GeometryFindingKind.DuplicateInstance);
    }

    [Fact]
    public void Build_SharedPosition_KeepsOne()
    {
        List<SliceGeometry> slices = Axial(5);
        slices.Add(slices[2] with { SopInstanceUid = "1.2.9.99" });

        SeriesGeometry geometry = SeriesGeometryBuilder.Build(slices).Stack!;

        Assert.Equal(5, geometry.Slices.Count);
        GeometryFinding finding = Assert.Single(geometry.Findings);
        Assert.Equal(GeometryFindingKind.DuplicatePosition, finding.Kind);
        Assert.Contains("1.2.9.99", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingSlice_ReportsGap()
    {
        List<SliceGeometry> slices = Axial(8);
        slices.RemoveAt(4);

        SeriesGeometry geometry = SeriesGeometryBuilder.Build(slices).Stack!;

        GeometryFinding gap = Assert.Single(geometry.Findings, f => f.Kind == GeometryFindingKind.Gap);
        Assert.Contains("10 mm", gap.Message, StringComparison.Ordinal);
        Assert.Equal(7.5, geometry.SlabThicknesses[3], 9);
        // The slabs still add up to the covered extent: 35 mm between centres plus half a slice at each end.
        Assert.Equal(40.0, geometry.SlabThicknesses.Sum(), 9);
    }

    [Theory]
    [InlineData("matrix", "Mixed matrix sizes: 256x256 and 512x512")]
    [InlineData("spacing", "Mixed pixel spacing: 0.5\\0.5 mm and 0.7\\0.7 mm")]
    [InlineData("orientation", "Mixed orientation")]
    public void Build_InconsistentGrid_IsRejectedWithValues(string difference, string expected)
    {
        List<SliceGeometry> slices = Axial(4);
        slices[3] = difference switch
        {
            "matrix" => slices[3] with { Rows = 512, Columns = 512 },
            "spacing" => slices[3] with { RowSpacing = 0.7, ColumnSpacing = 0.7 },
            _ => slices[3] with { ColumnDirection = new Vector3D(0, 0, -1) },
        };

        GeometryResult result = SeriesGeometryBuilder.Build(slices);

        Assert.True(result.IsRejected);
        Assert.StartsWith(expected, result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CoronalSeries_StacksAlongItsOwnNormal()
    {
        var row = new Vector3D(1, 0, 0);
        var column = new Vector3D(0, 0, -1);
        List<SliceGeometry> slices = Enumerable.Range(0, 4)
            .Select(i => new SliceGeometry($"1.2.8.{i}", new Vector3D(0, 3.0 * i, 0), row, column, 0.5, 0.5, 3, 64, 64))
            .Reverse()
            .ToList();

        SeriesGeometry geometry = SeriesGeometryBuilder.Build(slices).Stack!;

        // Row (1, 0, 0) cross column (0, 0, -1) is (0, 1, 0).
        Assert.Equal(1.0, geometry.Normal.Y, 9);
        Assert.Equal(0.0, geometry.TiltDegrees, 6);
        Assert.All(geometry.Spacings, spacing => Assert.Equal(3.0, spacing, 9));
    }

    [Fact]
    public void Build_SingleSliceWithoutThickness_IsRejected()
    {
        SliceGeometry slice = Axial(1)[0] with { SliceThickness = null };

        GeometryResult result = SeriesGeometryBuilder.Build([slice]);

        Assert.True(result.IsRejected);
        Assert.Contains("Slice Thickness", result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void VoxelVolumeMl_UsesPixelAreaAndSlab()
    {
        SeriesGeometry geometry = SeriesGeometryBuilder.Build(Axial(3, spacing: 4, thickness: 4)).Stack!;

        Assert.Equal(0.5 * 0.5 * 4 / 1000.0, geometry.VoxelVolumeMl(1), 12);
    }
}
