using BenchmarkDotNet.Attributes;
using IchFunctions.Dicom.IO;

namespace IchFunctions.Dicom.Benchmarks;

/// <summary>
/// Reads the 28-slice GE head CT series from disk (warm page cache) as series selection does: headers only,
/// stopping before Pixel Data. The full read is listed for scale.
/// </summary>
[MemoryDiagnoser]
public class HeaderReadBenchmarks
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };
    private string[] _files = [];

    [GlobalSetup]
    public void LoadFileList() => _files = SeriesFiles.Find();

    [Benchmark(Baseline = true)]
    public int ReadHeaders()
    {
        int rows = 0;
        foreach (string file in _files)
        {
            rows += DicomReader.ReadFile(file, HeaderOnly).Dataset.GetInt32(DicomTags.Rows) ?? 0;
        }

        return rows;
    }

    [Benchmark]
    public async Task<int> ReadHeadersAsync()
    {
        int rows = 0;
        foreach (string file in _files)
        {
            DicomFile dicom = await DicomReader.ReadFileAsync(file, HeaderOnly).ConfigureAwait(false);
            rows += dicom.Dataset.GetInt32(DicomTags.Rows) ?? 0;
        }

        return rows;
    }

    [Benchmark]
    public int ReadWholeFiles()
    {
        int bytes = 0;
        foreach (string file in _files)
        {
            bytes += DicomReader.ReadFile(file).Dataset.Find(DicomTags.PixelData)?.Value.Length ?? 0;
        }

        return bytes;
    }
}
