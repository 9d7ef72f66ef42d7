using System.Globalization;
using System.IO.Compression;

namespace IchFunctions.Imaging.Sources;

/// <summary>Limits that keep a hostile zip from exhausting memory or disk.</summary>
public sealed record ZipLimits
{
    /// <summary>Most entries a zip may hold.</summary>
    public int MaxEntries { get; init; } = 20_000;

    /// <summary>Largest uncompressed size of one entry, in bytes (a 512x512 CT slice is about 0.5 MB).</summary>
    public long MaxEntryBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest uncompressed size of all entries together, in bytes.</summary>
    public long MaxTotalBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Highest uncompressed-to-compressed ratio of an entry; DICOM rarely compresses beyond 20:1.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    public static ZipLimits Default { get; } = new();
}

/// <summary>
/// Instances in a zip archive: one exam. Entry names that climb out of the archive (absolute paths, "..")
/// and archives past the <see cref="ZipLimits"/> are rejected before anything is extracted.
/// </summary>
public sealed class ZipSource : IInstanceSource
{
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    // ZipArchive reads entries through one shared stream, so entries are decompressed one at a time.
    private readonly Lock _readLock = new();

    private ZipSource(ZipArchive archive, Dictionary<string, ZipArchiveEntry> entries, string description)
    {
        _archive = archive;
        _entries = entries;
        Description = description;
        Locations = entries.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    /// <summary>Opens a zip file; throws <see cref="InvalidDataException"/> naming the entry or limit that was exceeded.</summary>
    public static ZipSource Open(string path, ZipLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Zip file not found: {path}.", path);
        }

        return Open(File.OpenRead(path), $"zip {Path.GetFileName(path)}", limits);
    }

    /// <summary>Opens a zip from a seekable stream, which the source then owns.</summary>
    public static ZipSource Open(Stream stream, string description, ZipLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= ZipLimits.Default;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException error)
        {
            stream.Dispose();
            throw new InvalidDataException($"{description} is not a valid zip archive: {error.Message}", error);
        }

        try
        {
            Dictionary<string, ZipArchiveEntry> entries = CheckEntries(archive, description, limits);
            return new ZipSource(archive, entries, $"{description} ({entries.Count} entries)");
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    public Stream Open(string location)
    {
        if (!_entries.TryGetValue(location, out ZipArchiveEntry? entry))
        {
            throw new FileNotFoundException($"Entry '{location}' is not in {Description}.");
        }

        // Decompressed into memory so readers get a seekable stream. The declared size was checked on open, and
        // the copy stops past it, because a hostile archive can declare less than it expands to.
        byte[] content = new byte[entry.Length];
        lock (_readLock)
        {
            ReadEntry(entry, location, content);
        }

        return new MemoryStream(content, writable: false);
    }

    public void Dispose() => _archive.Dispose();

    private void ReadEntry(ZipArchiveEntry entry, string location, byte[] content)
    {
        using (Stream compressed = entry.Open())
        {
            int filled = 0;
            while (filled < content.Length)
            {
                int read = compressed.Read(content, filled, content.Length - filled);
                if (read == 0)
                {
                    throw new InvalidDataException(Invariant($"Entry '{location}' of {Description} ends after {filled} of its declared {content.Length} bytes."));
                }

                filled += read;
            }

            if (compressed.ReadByte() >= 0)
            {
                throw new InvalidDataException($"Entry '{location}' of {Description} expands past its declared size of {content.Length} bytes; the archive is rejected.");
            }
        }
    }

    private static Dictionary<string, ZipArchiveEntry> CheckEntries(ZipArchive archive, string description, ZipLimits limits)
    {
        if (archive.Entries.Count > limits.MaxEntries)
        {
            throw new InvalidDataException(Invariant($"{description} has {archive.Entries.Count} entries; at most {limits.MaxEntries} are accepted."));
        }

        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        long total = 0;
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue; // a folder entry
            }

            string name = entry.FullName.Replace('\\', '/');
            if (name.StartsWith('/') || name.Split('/').Contains("..") || Path.IsPathRooted(name) || name.Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{description} has an entry named '{entry.FullName}' that points outside the archive (path traversal); the archive is rejected.");
            }

            if (entry.Length > limits.MaxEntryBytes)
            {
                throw new InvalidDataException(Invariant($"Entry '{name}' of {description} expands to {entry.Length} bytes; at most {limits.MaxEntryBytes} are accepted per entry."));
            }

            double ratio = CompressionRatio(entry);
            if (ratio > limits.MaxCompressionRatio)
            {
                throw new InvalidDataException(Invariant($"Entry '{name}' of {description} expands {ratio:0}-fold ({entry.CompressedLength} to {entry.Length} bytes), past the limit of {limits.MaxCompressionRatio:0}; the archive looks like a zip bomb."));
            }

            total += entry.Length;
            if (total > limits.MaxTotalBytes)
            {
                throw new InvalidDataException(Invariant($"{description} expands to more than {limits.MaxTotalBytes} bytes in total; the archive is rejected."));
            }

            entries[name] = entry;
        }

        return entries;
    }

    private static double CompressionRatio(ZipArchiveEntry entry)
    {
        if (entry.CompressedLength > 0)
        {
            return (double)entry.Length / entry.CompressedLength;
        }

        return entry.Length == 0 ? 1 : double.PositiveInfinity;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
