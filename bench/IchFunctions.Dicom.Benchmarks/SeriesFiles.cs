namespace IchFunctions.Dicom.Benchmarks;

/// <summary>Locates the GE head CT series of the shared test data (ICH_TEST_DATA_DIR overrides the default).</summary>
internal static class SeriesFiles
{
    public const string SeriesFolder = "dcm_qa_ct/GE_head_tilt";

    public static string Folder()
    {
        string? configured = Environment.GetEnvironmentVariable("ICH_TEST_DATA_DIR");
        string root = string.IsNullOrWhiteSpace(configured) ? Path.Combine(RepositoryRoot(), "..", "shared", "data", "dicom") : configured;
        string folder = Path.GetFullPath(Path.Combine(root, SeriesFolder));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Benchmark data '{folder}' not found; set ICH_TEST_DATA_DIR to the DICOM test data folder.");
        }

        return folder;
    }

    public static string[] Find() => [.. Directory.GetFiles(Folder(), "*.dcm").Order(StringComparer.Ordinal)];

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IchFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
