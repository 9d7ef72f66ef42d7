using System.Buffers.Binary;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Volumes;

/// <summary>Series selection and HU volumes on the real scanner series, checked against DCMTK.</summary>
public sealed class RealSeriesTests
{
    private static (SelectionResult Selection, HuVolume? Volume, ScanResult Scan) Run(string folder)
    {
        using FileSource source = FileSource.FromFolder(folder);
        ScanResult scan = InstanceScanner.Scan(source, cancellationToken: TestContext.Current.CancellationToken);
        SelectionResult selection = SeriesSelector.Select(scan.Instances);
        HuVolume? volume = selection.SelectedGeometry is null
            ? null
            : HuVolumeLoader.Load(source, selection.SelectedGeometry, selection.SelectedInstances!);
        return (selection, volume, scan);
    }

    /// <summary>Pixel Data bytes as DCMTK writes them with dcmdump +W, as 16-bit little-endian values.</summary>
    private static short[] DcmdumpPixels(string file)
    {
        string directory = Directory.CreateTempSubdirectory("ich-dcmdump-").FullName;
        try
        {
            ExternalTool.Result result = ExternalTool.Run("dcmdump", "+W", directory, file);
            Assert.True(result.ExitCode == 0, $"dcmdump failed on {file}: {result.Error}");
            byte[] raw = File.ReadAllBytes(Assert.Single(Directory.GetFiles(directory, "*.raw")));
            var values = new short[raw.Length / 2];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2));
            }

            return values;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void GeHeadTilt_SelectedInAnatomicalOrderWithTilt()
    {
        (SelectionResult selection, HuVolume? volume, _) = Run(TestData.Require("dcm_qa_ct/GE_head_tilt"));

        Assert.Equal(SeriesDecision.Selected, selection.Selected!.Decision);
        SeriesGeometry geometry = volume!.Geometry;
        Assert.Equal(28, geometry.Slices.Count);
        Assert.Equal(Enumerable.Range(1, 28), geometry.Slices.Select(s => s.InstanceNumber!.Value));
        Assert.Equal(18.5, geometry.TiltDegrees, 1);
        Assert.Contains(selection.Selected.Warnings, w => w.StartsWith("Gantry tilt of 18.5 degrees", StringComparison.Ordinal));
    }

    [Fact]
    public void GeHeadTilt_SlabsMatchHandCalculation()
    {
        (_, HuVolume? volume, _) = Run(TestData.Require("dcm_qa_ct/GE_head_tilt"));
        SeriesGeometry geometry = volume!.Geometry;

        // Positions step 4.22 mm in z, then 1.14 mm, then 7.38 mm; the normal's z component is 0.9483237.
        double thin = 4.22 * 0.9483237;
        double overlap = 1.14 * 0.9483237;
        double thick = 7.38 * 0.9483237;
        Assert.Equal(thin, geometry.Spacings[0], 4);
        Assert.Equal(overlap, geometry.Spacings[13], 4);
        Assert.Equal(thick, geometry.Spacings[14], 4);
        Assert.Equal(2 + (thin / 2), geometry.SlabThicknesses[0], 4);
        Assert.Equal(thin, geometry.SlabThicknesses[5], 4);
        Assert.Equal((thin + overlap) / 2, geometry.SlabThicknesses[13], 4);
        Assert.Equal((overlap + thick) / 2, geometry.SlabThicknesses[14], 4);
        Assert.Equal(thick, geometry.SlabThicknesses[27], 4);
    }

    [Fact]
    public void GeHeadTilt_HuMatchesDcmdumpWithPaddingAsAir()
    {
        (_, HuVolume? volume, _) = Run(TestData.Require("dcm_qa_ct/GE_head_tilt"));

        foreach (int slice in new[] { 0, 13, 27 })
        {
            short[] stored = DcmdumpPixels(volume!.Instances[slice].Location);
            Span<short> hu = volume.Slice(slice).Span;
            int padded = 0;
            for (int i = 0; i < stored.Length; i++)
            {
                // Slope 1 and intercept 0: HU equals the stored value, except Pixel Padding Value -1500, which is air.
                short expected = stored[i] == -1500 ? (short)-1024 : stored[i];
                padded += stored[i] == -1500 ? 1 : 0;
                Assert.Equal(expected, hu[i]);
            }

            Assert.True(padded > 1000, $"slice {slice} has only {padded} padding pixels");
        }
    }

    [Fact]
    public void PhilipsPhantom_RejectsScoutAndSummary()
    {
        (SelectionResult selection, HuVolume? volume, _) = Run(TestData.Require("dcm_qa_ct/Philips_head_phantom"));

        Assert.Equal(28, volume!.SliceCount);
        Assert.Equal(0.0, volume.Geometry.TiltDegrees, 3);
        Assert.Equal(3, selection.Series.Count);
        Assert.Contains(selection.Series, s => s.Decision == SeriesDecision.Rejected && s.Reason.StartsWith("Localizer", StringComparison.Ordinal));
        Assert.Contains(selection.Series, s => s.Decision == SeriesDecision.Rejected && s.Reason.Contains("Secondary Capture Image", StringComparison.Ordinal));
    }

    [Fact]
    public void PhilipsPhantom_UnsignedWithInterceptConverts()
    {
        (_, HuVolume? volume, _) = Run(TestData.Require("dcm_qa_ct/Philips_head_phantom"));

        foreach (int slice in new[] { 0, 14, 27 })
        {
            short[] stored = DcmdumpPixels(volume!.Instances[slice].Location);
            Span<short> hu = volume.Slice(slice).Span;
            for (int i = 0; i < stored.Length; i++)
            {
                // Unsigned 12-bit stored values, Rescale Intercept -1024, slope 1.
                int expected = Math.Max(-1024, (ushort)stored[i] - 1024);
                Assert.Equal(expected, hu[i]);
            }
        }
    }

    [Fact]
    public void OtherFiles_NoEligibleSeriesWithReasons()
    {
        (SelectionResult selection, HuVolume? volume, ScanResult scan) = Run(TestData.Require("other"));

        Assert.Null(volume);
        Assert.Null(selection.Selected);
        Assert.All(selection.Series, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Equal(12, selection.Series.Sum(s => s.InstanceCount) + scan.Skipped.Count);
        Assert.All(scan.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Theory]
    [InlineData("other/orthanc-tests/1.2.840.10008.1.2.4.70.dcm")]
    [InlineData("other/orthanc-tests/CT01.dcm")]
    [InlineData("other/orthanc-tests/2020-09-12-ELSCINT1-PMSCT_RLE1.dcm")]
    [InlineData("other/pydicom/MR_truncated.dcm")]
    [InlineData("other/pydicom/no_meta.dcm")]
    [InlineData("other/pydicom/image_dfl.dcm")]
    [InlineData("other/pydicom/MR_small_bigendian.dcm")]
    [InlineData("other/pydicom/rtplan.dcm")]
    [InlineData("other/DICOMSamples/MR_Implicit_Little.dcm")]
    [InlineData("other/DICOMSamples/MR_Explicit_Little_MultiFrame.dcm")]
    [InlineData("other/DICOMSamples/OT_Implicit_Little_Headless.dcm")]
    [InlineData("other/dicom-test-files/20-wrong-transfer-syntax.dcm")]
    public void OtherFile_NoEligibleSeries(string file)
    {
        using FileSource source = FileSource.FromFiles([TestData.Require(file)]);
        ScanResult scan = InstanceScanner.Scan(source, cancellationToken: TestContext.Current.CancellationToken);

        SelectionResult selection = SeriesSelector.Select(scan.Instances);

        Assert.Null(selection.Selected);
        Assert.Equal(1, selection.Series.Count + scan.Skipped.Count);
        string reason = selection.Series.Count == 1 ? selection.Series[0].Reason : scan.Skipped[0].Reason;
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }
}
