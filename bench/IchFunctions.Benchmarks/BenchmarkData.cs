namespace IchFunctions.Benchmarks;

/// <summary>
/// Folders of the benchmark series. The program sets them through environment variables so that the benchmark
/// processes BenchmarkDotNet starts read the same files.
/// </summary>
public static class BenchmarkData
{
    public const string SeriesVariable = "ICH_BENCH_SERIES_DIR";
    public const string JpegLosslessVariable = "ICH_BENCH_JPEG_LOSSLESS_DIR";

    public static string SeriesFolder => Environment.GetEnvironmentVariable(SeriesVariable)
        ?? throw new InvalidOperationException($"{SeriesVariable} is not set; run the benchmarks through Program.");

    public static string JpegLosslessFolder => Environment.GetEnvironmentVariable(JpegLosslessVariable)
        ?? throw new InvalidOperationException($"{JpegLosslessVariable} is not set; run the benchmarks through Program.");

    /// <summary>The GE head series under ICH_TEST_DATA_DIR, or under ../shared/data/dicom beside the repository.</summary>
    public static string FindSeriesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("ICH_TEST_DATA_DIR");
        string root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(FindRepositoryRoot(), "..", "shared", "data", "dicom")
            : configured;
        string folder = Path.GetFullPath(Path.Combine(root, "dcm_qa_ct", "GE_head_tilt"));
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException($"Benchmark series not found at {folder}; set ICH_TEST_DATA_DIR to the DICOM test data folder.");
    }

    /// <summary>Writes a JPEG Lossless SV1 copy of every slice with dcmcjpeg into <paramref name="target"/>.</summary>
    public static void WriteJpegLosslessVariants(string series, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(series, "*.dcm"))
        {
            Tools.Run("dcmcjpeg", ["+e1", file, Path.Combine(target, Path.GetFileName(file))]);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IchFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"IchFunctions.sln not found above {AppContext.BaseDirectory}.");
    }
}
