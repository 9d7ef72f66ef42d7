using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Tests.Support;
using IchFunctions.Dicom.Text;

namespace IchFunctions.Dicom.Tests.IO;

public sealed class DicomReaderTests
{
    private const string GeSlice = "dcm_qa_ct/GE_head_tilt/01.dcm";

    [Fact]
    public void Read_StopBeforePixelData_LeavesPixelBytesUnread()
    {
        byte[] bytes = File.ReadAllBytes(TestFiles.Require(GeSlice));
        var stream = new ChunkedStream(bytes, 4096);

        DicomFile file = DicomReader.Read(stream, new DicomReaderOptions { StopBeforePixelData = true });

        Assert.True(file.StoppedBeforePixelData);
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal(512, file.Dataset.GetInt32(DicomTags.Columns));
        Assert.True(stream.BytesRead < bytes.Length - (512 * 512 * 2) + (64 * 1024), $"read {stream.BytesRead} of {bytes.Length} bytes");
    }

    public static TheoryData<string> Files => TestFiles.ReadableData();

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_HeaderOnly_EqualsFullReadBeforePixelData(string relativePath)
    {
        string path = TestFiles.Require(relativePath);
        DicomDataset full = DicomReader.ReadFile(path).Dataset;

        DicomFile header = DicomReader.ReadFile(path, new DicomReaderOptions { StopBeforePixelData = true });

        var expected = new DicomDataset(full.Where(element => element.Tag < DicomTags.PixelData));
        Assert.Equal(full.Contains(DicomTags.PixelData), header.StoppedBeforePixelData);
        Assert.Empty(DatasetComparer.Differences(expected, header.Dataset));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task ReadAsync_NonSeekableChunks_EqualsFileRead(int chunkSize)
    {
        string path = TestFiles.Require("seg/DICOMSamples/MR_UnspecifiedLength.dcm");
        DicomFile expected = DicomReader.ReadFile(path);
        byte[] bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        DicomFile actual = chunkSize == 1
            ? DicomReader.Read(new ChunkedStream(bytes, chunkSize))
            : await DicomReader.ReadAsync(new ChunkedStream(bytes, chunkSize), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(DatasetComparer.Differences(expected.Dataset, actual.Dataset));
        Assert.Empty(DatasetComparer.Differences(expected.FileMetaInformation, actual.FileMetaInformation));
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ThrowsOperationCanceled()
    {
        byte[] bytes = await File.ReadAllBytesAsync(TestFiles.Require(GeSlice), TestContext.Current.CancellationToken);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await DicomReader.ReadAsync(new ChunkedStream(bytes, 100), cancellationToken: cancellation.Token));
    }

    [Fact]
    public void Read_ExplicitBigEndian_SwapsBinaryValues()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/pydicom/MR_small_bigendian.dcm"));

        Assert.Equal(TransferSyntaxUids.ExplicitVRBigEndian, file.TransferSyntaxUid);
        Assert.Equal(64, file.Dataset.GetInt32(DicomTags.Rows));
        Assert.Equal(64 * 64 * 2, file.Dataset.Find(DicomTags.PixelData)!.Value.Length);
    }

    [Fact]
    public void Read_Deflated_InflatesDataset()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/pydicom/image_dfl.dcm"));

        Assert.Equal(TransferSyntaxUids.DeflatedExplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal(512 * 512, file.Dataset.Find(DicomTags.PixelData)!.Value.Length);
    }

    [Fact]
    public void Read_JpegLossless_KeepsFragments()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("nema_wg04_ct2/CT2_JPLL"));

        DicomEncapsulatedPixelData pixels = Assert.IsType<DicomEncapsulatedPixelData>(file.Dataset.Find(DicomTags.PixelData));
        Assert.NotEmpty(pixels.Fragments);
        Assert.Equal(0xFF, pixels.Fragments[0].Span[0]);
        Assert.Equal(0xD8, pixels.Fragments[0].Span[1]);
    }

    [Fact]
    public void Read_Latin1CharacterSet_IsSupported()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require(GeSlice));

        Assert.Same(DicomCharacterSet.Latin1, file.Dataset.CharacterSet);
        Assert.Equal("GEMS_ACQU_01", file.Dataset.GetPrivateCreator(new DicomTag(0x0019, 0x1002)));
        Assert.Equal(new DicomTag(0x0019, 0x1002), file.Dataset.FindPrivateTag(0x0019, "GEMS_ACQU_01", 0x02));
    }

    [Fact]
    public void GetString_UnsupportedCharacterSet_RaisesForTextOnly()
    {
        var dataset = new DicomDataset();
        dataset.SetStrings(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
        dataset.Set(new DicomElement(DicomTags.PatientName, DicomVR.PN, new byte[] { 0x1B, 0x24, 0x42, 0x3B, 0x33 }));
        dataset.SetStrings(DicomTags.Modality, DicomVR.CS, "CT");

        DicomCharacterSetException error = Assert.Throws<DicomCharacterSetException>(() => dataset.GetString(DicomTags.PatientName));

        Assert.Contains("ISO 2022 IR 87", error.Message, StringComparison.Ordinal);
        Assert.Equal("CT", dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void GetString_Utf8CharacterSet_DecodesInItems()
    {
        var dataset = new DicomDataset();
        dataset.SetStrings(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        var item = new DicomDataset();
        item.Set(new DicomElement(DicomTags.PatientName, DicomVR.PN, "Müller^Zoë"u8.ToArray()));
        dataset.Set(new DicomSequence(new DicomTag(0x0008, 0x1115), [item]));

        Assert.Equal("Müller^Zoë", dataset.FindSequence(new DicomTag(0x0008, 0x1115))!.Items[0].GetString(DicomTags.PatientName));
    }

    [Fact]
    public void GetDouble_InvalidDecimalString_RaisesWithoutValue()
    {
        var patientWeight = new DicomTag(0x0010, 0x1030);
        var dataset = new DicomDataset();
        dataset.SetStrings(patientWeight, DicomVR.DS, "81kg");

        DicomValueException error = Assert.Throws<DicomValueException>(() => dataset.GetDouble(patientWeight));

        Assert.Contains("(0010,1030)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("81", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingBeyondLimit_RaisesLimitError()
    {
        string path = TestFiles.Require("seg/DICOMSamples/MR_UnspecifiedLength.dcm");

        DicomLimitExceededException error = Assert.Throws<DicomLimitExceededException>(
            () => DicomReader.ReadFile(path, new DicomReaderOptions { MaxSequenceDepth = 1 }));

        Assert.Contains("MaxSequenceDepth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ItemsBeyondLimit_RaisesLimitError()
    {
        string path = TestFiles.Require("seg/DICOMSamples/MR_UnspecifiedLength.dcm");

        Assert.Throws<DicomLimitExceededException>(() => DicomReader.ReadFile(path, new DicomReaderOptions { MaxItemsPerSequence = 2 }));
    }

    [Fact]
    public void Read_LengthPastEndOfStream_RejectedBeforeAllocating()
    {
        byte[] bytes = File.ReadAllBytes(TestFiles.Require(GeSlice));
        // (0008,0016) SOP Class UID: a 16-bit length; make it 0xFFFE so it runs past its neighbours but not the file,
        // then cut the file so the Pixel Data length (4 bytes before its value) runs past the end.
        byte[] cut = bytes[..(bytes.Length - 1000)];

        long before = GC.GetAllocatedBytesForCurrentThread();
        DicomTruncatedException error = Assert.Throws<DicomTruncatedException>(() => DicomReader.Read(new MemoryStream(cut)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes for a value that was never read");
    }
}
