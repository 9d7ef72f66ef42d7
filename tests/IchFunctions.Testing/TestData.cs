using Xunit;

namespace IchFunctions.Testing;

/// <summary>
/// Locates the shared DICOM test data, which is read in place and never copied into the repository.
/// </summary>
public static class TestData
{
    /// <summary>Environment variable that overrides the test data folder.</summary>
    public const string DirectoryVariable = "ICH_TEST_DATA_DIR";

    /// <summary>
    /// The DICOM test data folder: <c>ICH_TEST_DATA_DIR</c> when set, else <c>../shared/data/dicom</c>
    /// beside the repository root. Null when the folder does not exist.
    /// </summary>
    public static string? DirectoryOrNull
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            string candidate = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "dicom"))
                : Path.GetFullPath(configured);
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>The repository root, found by walking up from the test assembly to IchFunctions.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// Returns the full path of a file or folder under the test data folder, or skips the calling test
    /// with a message naming the missing path and the variable that sets it.
    /// </summary>
    public static string Require(string relativePath)
    {
        string? root = DirectoryOrNull;
        if (root is null)
        {
            Assert.Skip($"DICOM test data not found: set {DirectoryVariable} to the folder that holds "
                + "dcm_qa_ct/, nema_wg04_ct2/, other/ and seg/ (default ../shared/data/dicom beside the repository).");
        }

        string path = Path.Combine(root, relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"DICOM test data '{relativePath}' not found under {root}; "
                + $"set {DirectoryVariable} to a complete copy of the test data.");
        }

        return path;
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

        throw new InvalidOperationException(
            $"IchFunctions.sln not found above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
