namespace IchFunctions.Imaging.Sources;

/// <summary>Instances in files: every file under a folder (recursively), or an explicit list of files.</summary>
public sealed class FileSource : IInstanceSource
{
    private FileSource(string description, IReadOnlyList<string> locations)
    {
        Description = description;
        Locations = locations;
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    /// <summary>Every regular file under <paramref name="folder"/>, sorted by path; DICOMDIR files are left out.</summary>
    public static FileSource FromFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Folder not found: {folder}. Pass a folder that contains the exam's DICOM files.");
        }

        string[] files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
            .Where(path => !Path.GetFileName(path).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new FileSource($"folder {folder} ({files.Length} files)", files);
    }

    /// <summary>The given files, in the given order.</summary>
    public static FileSource FromFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string[] paths = files.ToArray();
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"File not found: {path}.", path);
            }
        }

        return new FileSource($"{paths.Length} files", paths);
    }

    public Stream Open(string location) =>
        new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public void Dispose()
    {
    }
}
