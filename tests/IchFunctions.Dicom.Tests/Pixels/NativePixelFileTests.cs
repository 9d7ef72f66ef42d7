using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// Native pixel data of real files (signed and unsigned, 8 and 16 bits, 12 bits stored, big endian, multi-frame,
/// implicit and deflated syntaxes) decoded by this toolkit and compared with pydicom's pixel_array.
/// </summary>
public sealed class NativePixelFileTests
{
    public static TheoryData<string> NativeFiles => new()
    {
        "nema_wg04_ct2/CT2_UNC",
        "dcm_qa_ct/GE_head_tilt/01.dcm",
        "dcm_qa_ct/GE_head_tilt/28.dcm",
        "dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm/I10",
        "dcm_qa_ct/Philips_head_phantom/S1000_scout/I10",
        "dcm_qa_ct/Philips_head_phantom/S4010_exam_summary/I10",
        "other/orthanc-tests/CT01.dcm",
        "other/pydicom/MR_small_bigendian.dcm",
        "other/pydicom/image_dfl.dcm",
        "other/DICOMSamples/MR_Implicit_Little.dcm",
        "other/DICOMSamples/MR_Explicit_Little_MultiFrame.dcm",
        "seg/dcmqi/source_ct-3slice/01.dcm",
        "seg/highdicom/source_ct_pydicom_CT2/17106",
        "seg/dcmqi/source_24x38x3/IMG0001.dcm",
    };

    [Theory]
    [MemberData(nameof(NativeFiles))]
    public void NativeFile_DecodesIdenticalToPydicom(string file)
    {
        string path = TestData.Require(file);
        using var scratch = new TemporaryDirectory();
        TestPixelSource source = TestPixelSource.Load(path, scratch);
        Assert.True(PixelCodecRegistryIsNative(source.TransferSyntaxUid), $"{file} has transfer syntax {source.TransferSyntaxUid}.");

        byte[] decoded = PixelOracle.DecodeAllFrames(source);
        string expectedPath = scratch.File("pydicom.raw");
        ExternalTool.RunChecked("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Pixels", "Support", "pydicom_pixels.py"), path, expectedPath);
        byte[] expected = File.ReadAllBytes(expectedPath);

        Assert.Equal(expected.Length, decoded.Length);
        Assert.True(expected.AsSpan().SequenceEqual(decoded), $"{file}: max difference {PixelOracle.MaxAbsoluteDifference(expected, decoded, source.Description)}.");
    }

    [Fact]
    public void BigEndianFile_SwapsSamples()
    {
        TestPixelSource source = TestPixelSource.Load(TestData.Require("other/pydicom/MR_small_bigendian.dcm"));
        PixelDescription description = source.Description;
        var swapped = new byte[description.FrameLength];
        var unswapped = new byte[description.FrameLength];

        Dicom.Pixels.Native.NativePixelDecoder.DecodeFrame(source.NativePixelData, description, 0, bigEndian: true, swapped);
        Dicom.Pixels.Native.NativePixelDecoder.DecodeFrame(source.NativePixelData, description, 0, bigEndian: false, unswapped);

        Assert.Equal(16, description.BitsAllocated);
        Assert.Equal(unswapped[1], swapped[0]);
        Assert.Equal(unswapped[0], swapped[1]);
    }

    private static bool PixelCodecRegistryIsNative(string uid) => Dicom.Pixels.Codecs.PixelCodecRegistry.IsNative(uid);
}
