using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Tests.Support;

namespace IchFunctions.Dicom.Tests.IO;

/// <summary>The broken and unusual files of the test data raise specific errors, or read with what can be read.</summary>
public sealed class BrokenFileTests
{
    [Fact]
    public void Read_NoPreambleNoMetaStrayByte_RaisesFileFormatError()
    {
        string path = TestFiles.Require("other/pydicom/no_meta.dcm");

        DicomFileFormatException error = Assert.Throws<DicomFileFormatException>(() => DicomReader.ReadFile(path));

        Assert.Contains("Not a DICOM file", error.Message, StringComparison.Ordinal);
        Assert.Contains("DicomReaderOptions.TransferSyntaxUid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedPixelData_NamesTagAndLengths()
    {
        string path = TestFiles.Require("other/pydicom/MR_truncated.dcm");

        DicomTruncatedException error = Assert.Throws<DicomTruncatedException>(() => DicomReader.ReadFile(path));

        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.Equal(8192, error.DeclaredLength);
        Assert.Equal(8130, error.AvailableLength);
        Assert.Contains("(7FE0,0010)", error.Message, StringComparison.Ordinal);
        Assert.Contains("8192 bytes declared, 8130 available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedNonSeekable_NamesTagAndLengths()
    {
        byte[] bytes = await File.ReadAllBytesAsync(TestFiles.Require("other/pydicom/MR_truncated.dcm"), TestContext.Current.CancellationToken);

        DicomTruncatedException error = await Assert.ThrowsAsync<DicomTruncatedException>(
            async () => await DicomReader.ReadAsync(new ChunkedStream(bytes, 1000), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.Equal(8130, error.AvailableLength);
    }

    [Fact]
    public void Read_TruncatedHeaderOnly_Succeeds()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/pydicom/MR_truncated.dcm"), new DicomReaderOptions { StopBeforePixelData = true });

        Assert.True(file.StoppedBeforePixelData);
        Assert.Equal(64, file.Dataset.GetInt32(DicomTags.Rows));
    }

    [Fact]
    public void Read_HeadlessImplicit_DetectsTransferSyntax()
    {
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/DICOMSamples/OT_Implicit_Little_Headless.dcm"));

        Assert.False(file.HasPreamble);
        Assert.Equal(0, file.FileMetaInformation.Count);
        Assert.Equal(TransferSyntaxUids.ImplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal(512, file.Dataset.GetInt32(DicomTags.Rows));
    }

    [Fact]
    public void Read_MetaWithoutTransferSyntax_DetectsFromDataset()
    {
        DicomFile source = DicomReader.ReadFile(TestFiles.Require("dcm_qa_ct/GE_head_tilt/01.dcm"));
        using var written = new MemoryStream();
        DicomWriter.Write(written, source, new DicomWriterOptions { TransferSyntaxUid = TransferSyntaxUids.ImplicitVRLittleEndian });
        byte[] bytes = written.ToArray();
        int uid = bytes.AsSpan().IndexOf("1.2.840.10008.1.2\0"u8);
        int elementStart = uid - 8;
        Assert.Equal(new byte[] { 0x02, 0x00, 0x10, 0x00 }, bytes[elementStart..(elementStart + 4)]);

        // Turn (0002,0010) into an unknown group 0002 element, so the meta group has no transfer syntax.
        bytes[elementStart + 2] = 0x11;
        DicomFile file = DicomReader.Read(new MemoryStream(bytes));

        Assert.False(file.FileMetaInformation.Contains(DicomTags.TransferSyntaxUid));
        Assert.Equal(TransferSyntaxUids.ImplicitVRLittleEndian, file.TransferSyntaxUid);
        Assert.Equal(512, file.Dataset.GetInt32(DicomTags.Rows));
    }

    [Fact]
    public void Read_HeadlessStrayByteWithTransferSyntax_StillRejected()
    {
        // The stray first byte shifts every tag, so even a stated transfer syntax cannot make the data set valid.
        string path = TestFiles.Require("other/pydicom/no_meta.dcm");

        Assert.ThrowsAny<DicomDataException>(() => DicomReader.ReadFile(path, new DicomReaderOptions { TransferSyntaxUid = TransferSyntaxUids.ExplicitVRLittleEndian }));
    }

    [Fact]
    public void Read_WrongTransferSyntax_KeepsNativePixelDataForDecoderToReject()
    {
        // The meta group declares JPEG-LS Lossless but Pixel Data has an explicit length (native pixels). The reader
        // keeps what the file holds; the pixel decoder sees a compressed syntax without fragments and rejects it.
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/dicom-test-files/20-wrong-transfer-syntax.dcm"));

        Assert.Equal(TransferSyntaxUids.JpegLSLossless, file.TransferSyntaxUid);
        DicomElement pixels = file.Dataset.Find(DicomTags.PixelData)!;
        Assert.IsNotType<DicomEncapsulatedPixelData>(pixels);
        Assert.Equal(512 * 512 * 2, pixels.Value.Length);
    }

    [Fact]
    public void Read_PrivatePixelsWithoutPixelData_ReadsHeader()
    {
        // Philips/Elscint CT whose pixels are only in the private element (07A1,100A); the pixel decoder reports
        // the missing standard Pixel Data.
        DicomFile file = DicomReader.ReadFile(TestFiles.Require("other/orthanc-tests/2020-09-12-ELSCINT1-PMSCT_RLE1.dcm"));

        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.True(file.Dataset.Contains(new DicomTag(0x07A1, 0x100A)));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }
}
