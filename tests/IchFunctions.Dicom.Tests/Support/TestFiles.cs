using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Support;

/// <summary>The DICOM files of the shared test data, as relative paths for theory data.</summary>
internal static class TestFiles
{
    /// <summary>Placeholder row used when the test data folder is absent, so the theory runs once and skips.</summary>
    public const string Missing = "(test data folder not found)";

    /// <summary>Files that are broken on purpose and checked by their own tests.</summary>
    public static readonly string[] Broken = ["other/pydicom/no_meta.dcm", "other/pydicom/MR_truncated.dcm"];

    public static IEnumerable<string> All()
    {
        string? root = TestData.DirectoryOrNull;
        if (root is null)
        {
            return [Missing];
        }

        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.EndsWith(".md", StringComparison.Ordinal) && !path.EndsWith("SHA256SUMS", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    public static IEnumerable<string> Readable() => All().Where(path => !Broken.Contains(path));

    public static TheoryData<string> ReadableData() => [.. Readable()];

    /// <summary>Returns the full path of a test file, or skips the test when the data is absent.</summary>
    public static string Require(string relativePath) => TestData.Require(relativePath == Missing ? "dcm_qa_ct" : relativePath);
}
