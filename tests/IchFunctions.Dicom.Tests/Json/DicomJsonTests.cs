using IchFunctions.Testing;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Json;
using IchFunctions.Dicom.Tests.Support;

namespace IchFunctions.Dicom.Tests.Json;

public sealed class DicomJsonTests
{
    private static readonly DicomJsonWriterOptions PixelDataAsBulk = new()
    {
        BulkDataUri = (_, element) => element.Tag == DicomTags.PixelData ? new Uri("https://example.invalid/bulk/pixels") : null,
    };

    public static TheoryData<string> Files => TestFiles.ReadableData();

    [Theory]
    [MemberData(nameof(Files))]
    public void WriteThenRead_EveryFile_KeepsEveryValue(string relativePath)
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require(relativePath));

        string json = DicomJsonWriter.Serialize([file.Dataset], PixelDataAsBulk);
        DicomDataset copy = Assert.Single(DicomJsonReader.ParseArray(json));

        Assert.Empty(SemanticComparer.Differences(file.Dataset, copy));
        Assert.Equal(new Uri("https://example.invalid/bulk/pixels"), copy.Find(DicomTags.PixelData)?.BulkDataUri ?? new Uri("https://example.invalid/bulk/pixels"));
    }

    [Theory]
    [InlineData("other/pydicom/rtplan.dcm")]
    [InlineData("dcm_qa_ct/GE_head_tilt/01.dcm")]
    [InlineData("seg/highdicom/seg_image_ct_binary.dcm")]
    [InlineData("other/DICOMSamples/MR_Explicit_Little_MultiFrame.dcm")]
    public void Read_PydicomJson_MatchesOurReadOfFile(string relativePath)
    {
        string path = TestFiles.Require(relativePath);
        ExternalTool.Result pydicom = ExternalTool.Run("/usr/bin/python3", "-c",
            "import sys, pydicom; ds = pydicom.dcmread(sys.argv[1]); print(ds.to_json(bulk_data_threshold=1 << 30))", path);
        Assert.True(pydicom.ExitCode == 0, pydicom.Error);

        DicomDataset fromJson = Assert.Single(DicomJsonReader.ParseArray("[" + pydicom.Output + "]"));
        DicomDataset fromFile = DicomReader.ReadFile(path).Dataset;

        Assert.Empty(SemanticComparer.Differences(fromFile, fromJson));
    }

    [Fact]
    public void Write_PersonName_UsesComponentGroups()
    {
        var dataset = new DicomDataset();
        dataset.SetStrings(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        dataset.SetStrings(DicomTags.PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");

        string json = DicomJsonWriter.Serialize([dataset]);
        DicomDataset copy = Assert.Single(DicomJsonReader.ParseArray(json));

        Assert.Contains("\"Alphabetic\":\"Yamada^Tarou\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Ideographic\":\"", json, StringComparison.Ordinal);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", copy.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Write_DecimalStrings_AreJsonNumbers()
    {
        var dataset = new DicomDataset();
        dataset.SetStrings(new DicomTag(0x0018, 0x1120), DicomVR.DS, "+18.5");
        dataset.SetStrings(new DicomTag(0x0020, 0x0013), DicomVR.IS, "7");
        dataset.SetNumbers(DicomTags.Rows, DicomVR.US, 512);

        string json = DicomJsonWriter.Serialize([dataset]);

        Assert.Contains("\"00181120\":{\"vr\":\"DS\",\"Value\":[18.5]}", json, StringComparison.Ordinal);
        Assert.Contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[7]}", json, StringComparison.Ordinal);
        Assert.Contains("\"00280010\":{\"vr\":\"US\",\"Value\":[512]}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_SixtyFourBitIntegers_Exact()
    {
        var tag = new DicomTag(0x0040, 0xA2E2);
        var dataset = new DicomDataset();
        byte[] bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, long.MinValue + 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), (1L << 62) + 1);
        dataset.Set(new DicomElement(tag, DicomVR.SV, bytes));

        string json = DicomJsonWriter.Serialize([dataset]);
        DicomDataset copy = Assert.Single(DicomJsonReader.ParseArray(json));

        Assert.Contains("[-9223372036854775807,4611686018427387905]", json, StringComparison.Ordinal);
        Assert.Equal(bytes, copy.Find(tag)!.Value.ToArray());
    }

    [Fact]
    public void Read_InlineBinaryAndBulkData_DecodedAndReferenced()
    {
        const string json = """
            [{"00291010":{"vr":"OB","InlineBinary":"AQID"},"7FE00010":{"vr":"OW","BulkDataURI":"http://127.0.0.1/bulk/1"}}]
            """;

        DicomDataset dataset = Assert.Single(DicomJsonReader.ParseArray(json));

        Assert.Equal(new byte[] { 1, 2, 3 }, dataset.Find(new DicomTag(0x0029, 0x1010))!.Value.ToArray());
        Assert.Equal(new Uri("http://127.0.0.1/bulk/1"), dataset.Find(DicomTags.PixelData)!.BulkDataUri);
    }

    [Theory]
    [InlineData("{}", "array")]
    [InlineData("[{\"0010001\":{\"vr\":\"PN\"}}]", "0010001")]
    [InlineData("[{\"00100010\":{\"Value\":[]}}]", "vr")]
    [InlineData("[{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"Doe\"]}}]", "Alphabetic")]
    [InlineData("[{\"00280010\":{\"vr\":\"US\",\"Value\":[\"x\"]}}]", "(0028,0010)")]
    [InlineData("[{\"00291010\":{\"vr\":\"OB\",\"InlineBinary\":\"***\"}}]", "base64")]
    [InlineData("[", "not valid JSON")]
    public void Read_MalformedJson_RaisesJsonError(string json, string expectedInMessage)
    {
        DicomJsonException error = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ParseArray(json));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }
}
