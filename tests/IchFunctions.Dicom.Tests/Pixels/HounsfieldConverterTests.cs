using System.Globalization;
using System.Runtime.InteropServices;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Hounsfield;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>Hounsfield conversion of real CT slices compared with the same conversion done by pydicom and NumPy.</summary>
public sealed class HounsfieldConverterTests
{
    public static TheoryData<string> CtFiles => new()
    {
        "dcm_qa_ct/GE_head_tilt/14.dcm",
        "dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm/I150",
        "other/orthanc-tests/CT01.dcm",
        "nema_wg04_ct2/CT2_UNC",
        "nema_wg04_ct2/CT2_JPLL",
        "seg/dcmqi/source_ct-3slice/02.dcm",
        "other/orthanc-tests/1.2.840.10008.1.2.4.70.dcm",
    };

    [Theory]
    [MemberData(nameof(CtFiles))]
    public void CtFile_MatchesPydicom(string file)
    {
        string path = TestData.Require(file);
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);
        var rescale = new HounsfieldRescale(
            source.Decimal("0028,1053") ?? 1,
            source.Decimal("0028,1052") ?? 0,
            source.Attributes.ContainsKey("0028,0120") ? source.Integer("0028,0120") : null,
            source.Attributes.ContainsKey("0028,0121") ? source.Integer("0028,0121") : null);

        short[] actual = ConvertFirstFrame(source, rescale);

        Assert.Equal(PydicomHounsfield(path, scratch), actual);
    }

    [Fact]
    public void PaddingValue_BecomesAir()
    {
        // The GE series pads outside the field of view with -1500, which must read as air, not as -1500 HU.
        TestPixelSource source = TestPixelSource.Load(TestData.Require("dcm_qa_ct/GE_head_tilt/14.dcm"));
        Assert.Equal(-1500, source.Integer("0028,0120"));

        short[] hu = ConvertFirstFrame(source, new HounsfieldRescale(1, 0, paddingValue: -1500));

        Assert.DoesNotContain((short)-1500, hu);
        Assert.Contains(HounsfieldConverter.Air, hu);
    }

    [Theory]
    [InlineData(0.5, -1024.3, -2000, -1000)]
    [InlineData(1, -1024, 2000, -1000)]
    [InlineData(1, 31000, -1500, -1500)]
    [InlineData(25, 0, -1500, -1500)]
    public void RescaleAndPaddingRange_MatchPydicom(double slope, double intercept, int paddingValue, int paddingRangeLimit)
    {
        // Slope 25 and intercept 31000 push values past the int16 range to check clamping.
        string path = TestData.Require("dcm_qa_ct/GE_head_tilt/14.dcm");
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);

        short[] actual = ConvertFirstFrame(source, new HounsfieldRescale(slope, intercept, paddingValue, paddingRangeLimit));

        string[] overrides = [.. new object[] { slope, intercept, paddingValue, paddingRangeLimit }
            .Select(value => Convert.ToString(value, CultureInfo.InvariantCulture)!)];
        Assert.Equal(PydicomHounsfield(path, scratch, overrides), actual);
    }

    [Fact]
    public void UnsignedFrame_ShiftMatchesGeneralPath()
    {
        // The 12-bit Philips slice takes the pooled-buffer path; an integer intercept takes the vector path and
        // a fractional one the scalar path, which must agree to within the rounding of the fraction.
        TestPixelSource source = TestPixelSource.Load(TestData.Require("dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm/I150"));
        short[] shifted = ConvertFirstFrame(source, new HounsfieldRescale(1, -1024));
        short[] general = ConvertFirstFrame(source, new HounsfieldRescale(1, -1024.0001));

        Assert.Equal(shifted, general);
    }

    [Fact]
    public void ColourFrame_Raises()
    {
        var description = new PixelDescription(2, 2, 3, 8, 8, 7, PixelRepresentation.Unsigned, PhotometricInterpretation.Rgb);

        var exception = Assert.Throws<DicomPixelDataException>(() =>
            HounsfieldConverter.Convert(new byte[12], description, new HounsfieldRescale(), new short[4]));

        Assert.Contains("Samples per Pixel (0028,0002) is 3", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(1, double.PositiveInfinity)]
    public void InvalidRescale_Raises(double slope, double intercept)
    {
        Assert.Throws<DicomPixelDataException>(() => new HounsfieldRescale(slope, intercept));
    }

    [Fact]
    public void RangeLimitWithoutPaddingValue_Raises()
    {
        var exception = Assert.Throws<DicomPixelDataException>(() => new HounsfieldRescale(paddingRangeLimit: -1000));

        Assert.Contains("Pixel Padding Value (0028,0120) is absent", exception.Message, StringComparison.Ordinal);
    }

    private static short[] ConvertFirstFrame(TestPixelSource source, HounsfieldRescale rescale)
    {
        PixelDescription description = source.Description;
        PixelFrameReader reader = PixelFrameReader.Create(
            source.TransferSyntaxUid,
            description,
            source.NativePixelData is { } native ? (ReadOnlyMemory<byte>?)native : null,
            source.Encapsulated);
        var hu = new short[description.Rows * description.Columns];
        reader.DecodeFrameToHounsfield(0, rescale, hu);
        return hu;
    }

    private static short[] PydicomHounsfield(string path, TemporaryDirectory scratch, params string[] overrides)
    {
        string output = scratch.File("pydicom-hu.raw");
        string script = Path.Combine(AppContext.BaseDirectory, "Pixels", "Support", "pydicom_hounsfield.py");
        ExternalTool.RunChecked("/usr/bin/python3", [script, path, output, .. overrides]);
        return MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(output)).ToArray();
    }
}
