using System.Runtime.InteropServices;
using IchFunctions.Dicom.IO;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.IO;

public sealed class PixelDataBufferTests
{
    [Fact]
    public void Read_WithBuffer_PixelDataAliasesBufferWithSameBytes()
    {
        string path = TestData.Require("dcm_qa_ct/GE_head_tilt/05.dcm");
        byte[] buffer = new byte[600_000];

        DicomFile withBuffer = DicomReader.ReadFile(path, new DicomReaderOptions { PixelDataBuffer = buffer });
        DicomFile plain = DicomReader.ReadFile(path);

        ReadOnlyMemory<byte> pixels = withBuffer.Dataset.Find(DicomTags.PixelData)!.Value;
        Assert.True(MemoryMarshal.TryGetArray(pixels, out ArraySegment<byte> segment));
        Assert.Same(buffer, segment.Array);
        Assert.Equal(plain.Dataset.Find(DicomTags.PixelData)!.Value.ToArray(), pixels.ToArray());
    }

    [Fact]
    public void Read_BufferTooSmall_AllocatesInstead()
    {
        string path = TestData.Require("dcm_qa_ct/GE_head_tilt/05.dcm");
        byte[] buffer = new byte[1000];

        DicomFile file = DicomReader.ReadFile(path, new DicomReaderOptions { PixelDataBuffer = buffer });

        Assert.True(MemoryMarshal.TryGetArray(file.Dataset.Find(DicomTags.PixelData)!.Value, out ArraySegment<byte> segment));
        Assert.NotSame(buffer, segment.Array);
        Assert.Equal(512 * 512 * 2, segment.Count);
    }

    [Fact]
    public void Read_TruncatedWithBuffer_ThrowsTruncated()
    {
        byte[] truncated = File.ReadAllBytes(TestData.Require("dcm_qa_ct/GE_head_tilt/05.dcm"))[..300_000];

        Assert.Throws<DicomTruncatedException>(() => DicomReader.Read(new MemoryStream(truncated), new DicomReaderOptions { PixelDataBuffer = new byte[600_000] }));
    }
}
