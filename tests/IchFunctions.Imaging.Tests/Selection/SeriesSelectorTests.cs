using System.Globalization;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Selection;

namespace IchFunctions.Imaging.Tests.Selection;

public sealed class SeriesSelectorTests
{
    /// <summary>An axial head CT series: 512 x 512, 0.45 mm pixels, slices every <paramref name="thickness"/> mm.</summary>
    private static List<InstanceHeader> HeadSeries(string series, int count, double thickness = 5, string kernel = "STANDARD", int seriesNumber = 2) =>
        Enumerable.Range(0, count).Select(i => new InstanceHeader
        {
            Location = $"{series}/{i}.dcm",
            SopClassUid = SopClasses.CtImage,
            SopInstanceUid = string.Create(CultureInfo.InvariantCulture, $"{series}.{i + 1}"),
            SeriesInstanceUid = series,
            Modality = "CT",
            ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"],
            BodyPartExamined = "HEAD",
            SeriesDescription = "HEAD STD",
            ConvolutionKernel = [kernel],
            SeriesNumber = seriesNumber,
            InstanceNumber = i + 1,
            SliceThickness = thickness,
            ImagePositionPatient = [-115, -115, i * thickness],
            ImageOrientationPatient = [1, 0, 0, 0, 1, 0],
            PixelSpacing = [0.45, 0.45],
            Rows = 512,
            Columns = 512,
        }).ToList();

    [Fact]
    public void Select_ShuffledFiles_OrdersAnatomically()
    {
        List<InstanceHeader> series = HeadSeries("1.2.3", 20);
        var shuffled = series.OrderBy(i => i.SopInstanceUid.GetHashCode(StringComparison.Ordinal)).ToList();

        SelectionResult result = SeriesSelector.Select(shuffled);

        Assert.Equal(SeriesDecision.Selected, result.Selected!.Decision);
        Assert.Equal(series.Select(i => i.SopInstanceUid), result.SelectedInstances!.Select(i => i.SopInstanceUid));
    }

    [Fact]
    public void Select_DuplicateAndMissingSlice_SelectedWithWarnings()
    {
        List<InstanceHeader> series = HeadSeries("1.2.3", 20);
        series.Add(series[3]);
        series.RemoveAt(10);

        SelectionResult result = SeriesSelector.Select(series);

        SeriesRecord selected = result.Selected!;
        Assert.Equal(19, result.SelectedInstances!.Count);
        Assert.Contains(selected.Warnings, w => w.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(selected.Warnings, w => w.StartsWith("Gap of 10 mm", StringComparison.Ordinal));
    }

    [Fact]
    public void Select_TwoSeriesWithSrAndSeg_PrefersSoftKernelAndRejectsTheRest()
    {
        List<InstanceHeader> bone = HeadSeries("1.2.4", 20, kernel: "BONE", seriesNumber: 3);
        List<InstanceHeader> soft = HeadSeries("1.2.5", 20, kernel: "STANDARD", seriesNumber: 4);
        InstanceHeader sr = bone[0] with { SopClassUid = SopClasses.ComprehensiveSr, SeriesInstanceUid = "1.2.6", SopInstanceUid = "1.2.6.1", Modality = "SR", SeriesNumber = 900 };
        InstanceHeader seg = bone[0] with { SopClassUid = SopClasses.Segmentation, SeriesInstanceUid = "1.2.7", SopInstanceUid = "1.2.7.1", Modality = "SEG", SeriesNumber = 901 };

        SelectionResult result = SeriesSelector.Select([.. bone, .. soft, sr, seg]);

        Assert.Equal("1.2.5", result.Selected!.SeriesInstanceUid);
        Assert.Contains("soft-tissue kernel", result.Selected.Reason, StringComparison.Ordinal);
        SeriesRecord boneRecord = Assert.Single(result.Series, r => r.SeriesInstanceUid == "1.2.4");
        Assert.Equal(SeriesDecision.Eligible, boneRecord.Decision);
        Assert.Contains("Comprehensive SR", Assert.Single(result.Series, r => r.SeriesInstanceUid == "1.2.6").Reason, StringComparison.Ordinal);
        Assert.Contains("Segmentation", Assert.Single(result.Series, r => r.SeriesInstanceUid == "1.2.7").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ThinAndThick_PrefersThicknessInRange()
    {
        List<InstanceHeader> thin = HeadSeries("1.2.8", 150, thickness: 0.625, seriesNumber: 2);
        List<InstanceHeader> thick = HeadSeries("1.2.9", 20, thickness: 5, seriesNumber: 3);

        SelectionResult result = SeriesSelector.Select([.. thin, .. thick]);

        Assert.Equal("1.2.9", result.Selected!.SeriesInstanceUid);
    }

    [Fact]
    public void Select_CoronalReformat_IsRejected()
    {
        List<InstanceHeader> coronal = HeadSeries("1.2.10", 20).Select((i, n) => i with
        {
            ImageOrientationPatient = [1, 0, 0, 0, 0, -1],
            ImagePositionPatient = [-115, n * 5.0, 100],
        }).ToList();

        SelectionResult result = SeriesSelector.Select(coronal);

        Assert.Null(result.Selected);
        Assert.StartsWith("Not axial", Assert.Single(result.Series).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContrastPolicy.Reject, SeriesDecision.Rejected)]
    [InlineData(ContrastPolicy.Warn, SeriesDecision.Selected)]
    public void Select_ContrastSeries_FollowsPolicy(ContrastPolicy policy, SeriesDecision expected)
    {
        List<InstanceHeader> series = HeadSeries("1.2.11", 20).Select(i => i with { ContrastBolusAgent = "IOHEXOL" }).ToList();

        SelectionResult result = SeriesSelector.Select(series, SelectionOptions.Default with { Contrast = policy });

        SeriesRecord record = Assert.Single(result.Series);
        Assert.Equal(expected, record.Decision);
        Assert.Contains("IOHEXOL", string.Join(" ", [record.Reason, .. record.Warnings]), StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoContrastWord_IsNotContrast()
    {
        List<InstanceHeader> series = HeadSeries("1.2.12", 20).Select(i => i with { ContrastBolusAgent = "NONE", StudyDescription = "CT HEAD WO CONTRAST" }).ToList();

        SelectionResult result = SeriesSelector.Select(series);

        Assert.NotNull(result.Selected);
    }

    [Theory]
    [InlineData("localizer")]
    [InlineData("derived")]
    [InlineData("chest")]
    [InlineData("mr")]
    [InlineData("few")]
    [InlineData("noposition")]
    public void Select_IneligibleSeries_IsRejectedWithReason(string variant)
    {
        List<InstanceHeader> series = HeadSeries("1.2.13", variant == "few" ? 3 : 20).Select(i => variant switch
        {
            "localizer" => i with { ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"] },
            "derived" => i with { ImageType = ["DERIVED", "SECONDARY", "AXIAL"] },
            "chest" => i with { BodyPartExamined = "CHEST", SeriesDescription = "CHEST" },
            "mr" => i with { SopClassUid = SopClasses.MrImage, Modality = "MR" },
            "noposition" => i with { ImagePositionPatient = [] },
            _ => i,
        }).ToList();

        SelectionResult result = SeriesSelector.Select(series);

        Assert.Null(result.Selected);
        string reason = Assert.Single(result.Series).Reason;
        string expected = variant switch
        {
            "localizer" => "Localizer",
            "derived" => "not ORIGINAL\\PRIMARY",
            "chest" => "CHEST",
            "mr" => "MR Image",
            "few" => "Only 3 slices",
            _ => "Image Position (Patient)",
        };
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoHeadWords_UsesFieldOfView()
    {
        List<InstanceHeader> series = HeadSeries("1.2.14", 20).Select(i => i with { BodyPartExamined = null, SeriesDescription = "AXIAL 5MM" }).ToList();

        SelectionResult result = SeriesSelector.Select(series);

        Assert.Contains(result.Selected!.Warnings, w => w.StartsWith("No header names the head", StringComparison.Ordinal));
    }

    [Fact]
    public void Select_MixedMatrix_IsRejectedWithBothSizes()
    {
        List<InstanceHeader> series = HeadSeries("1.2.15", 20);
        series[5] = series[5] with { Rows = 256, Columns = 256 };

        SelectionResult result = SeriesSelector.Select(series);

        Assert.Contains("512x512 and 256x256", Assert.Single(result.Series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectionRecord_HasNoPatientAttributes()
    {
        string[] properties = typeof(SeriesRecord).GetProperties().Select(p => p.Name).ToArray();

        Assert.DoesNotContain(properties, p => p.Contains("Patient", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(InstanceHeader).GetProperties(), p => p.Name.StartsWith("Patient", StringComparison.Ordinal));
    }
}
