using IchFunctions.Imaging.Sources;

namespace IchFunctions.Cli.Commands;

/// <summary>Turns the paths given on the command line into an instance source.</summary>
internal static class InputSources
{
    /// <summary>
    /// One folder (read recursively), one .zip file, or one or more DICOM files. Throws
    /// <see cref="FileNotFoundException"/> or <see cref="ArgumentException"/> with a message naming the path.
    /// </summary>
    public static IInstanceSource Open(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException("No input given: pass a folder, a .zip file or DICOM files.");
        }

        if (paths.Count == 1 && Directory.Exists(paths[0]))
        {
            return FileSource.FromFolder(paths[0]);
        }

        if (paths.Count == 1 && paths[0].EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return ZipSource.Open(paths[0]);
        }

        string? folder = paths.FirstOrDefault(Directory.Exists);
        if (folder is not null)
        {
            throw new ArgumentException($"'{folder}' is a folder; pass either one folder, one .zip file, or a list of files.");
        }

        return FileSource.FromFiles(paths);
    }
}
