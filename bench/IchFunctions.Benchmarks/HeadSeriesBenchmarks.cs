using System.Buffers;
using BenchmarkDotNet.Attributes;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Pixels;

namespace IchFunctions.Benchmarks;

/// <summary>
/// Decodes the 28-slice GE head CT series into one int16 Hounsfield volume, from pixel data already in memory:
/// the original Explicit VR Little Endian files and their JPEG Lossless SV1 variants made by dcmcjpeg. Timed per
/// series: creating a frame reader per slice, decoding, HU conversion, and allocating the volume.
/// </summary>
[MemoryDiagnoser]
public class HeadSeriesBenchmarks
{
    private SeriesSlice[] _uncompressed = [];
    private SeriesSlice[] _jpegLossless = [];

    [GlobalSetup]
    public void Setup()
    {
        _uncompressed = SeriesSlice.LoadFolder(BenchmarkData.SeriesFolder);
        _jpegLossless = SeriesSlice.LoadFolder(BenchmarkData.JpegLosslessFolder);
    }

    [Benchmark(Baseline = true)]
    public short[] Uncompressed() => DecodeVolume(_uncompressed);

    [Benchmark]
    public short[] JpegLossless() => DecodeVolume(_jpegLossless);

    /// <summary>The whole load path from files: parse each file with the toolkit, then decode into the volume.</summary>
    [Benchmark]
    public short[] ReadUncompressed() => ReadVolume(_uncompressed);

    [Benchmark]
    public short[] ReadJpegLossless() => ReadVolume(_jpegLossless);

    private static short[] ReadVolume(SeriesSlice[] slices)
    {
        PixelDescription first = slices[0].Description;
        int pixels = first.Rows * first.Columns;
        var volume = new short[slices.Length * pixels];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(pixels * sizeof(short));
        try
        {
            var options = new DicomReaderOptions { PixelDataBuffer = buffer };
            for (int i = 0; i < slices.Length; i++)
            {
                DicomFile file = DicomReader.ReadFile(slices[i].Path, options);
                PixelFrameReader reader = DicomPixelData.CreateReader(file);
                reader.DecodeFrameToHounsfield(0, DicomPixelData.ReadRescale(file.Dataset), volume.AsSpan(i * pixels, pixels));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return volume;
    }

    private static short[] DecodeVolume(SeriesSlice[] slices)
    {
        PixelDescription first = slices[0].Description;
        int pixels = first.Rows * first.Columns;
        var volume = new short[slices.Length * pixels];
        for (int i = 0; i < slices.Length; i++)
        {
            SeriesSlice slice = slices[i];
            PixelFrameReader reader = PixelFrameReader.Create(slice.TransferSyntaxUid, slice.Description, slice.NativePixelData, slice.Encapsulated);
            reader.DecodeFrameToHounsfield(0, slice.Rescale, volume.AsSpan(i * pixels, pixels));
        }

        return volume;
    }
}
