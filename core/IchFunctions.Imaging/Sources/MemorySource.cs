namespace IchFunctions.Imaging.Sources;

/// <summary>Instances already read into memory, keyed by the location they had in the source they came from.</summary>
public sealed class MemorySource : IInstanceSource
{
    private readonly IReadOnlyDictionary<string, byte[]> _instances;

    public MemorySource(string description, IReadOnlyList<string> locations, IReadOnlyDictionary<string, byte[]> instances)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(instances);
        if (locations.FirstOrDefault(location => !instances.ContainsKey(location)) is { } missing)
        {
            throw new ArgumentException($"Location '{missing}' has no bytes in memory.", nameof(instances));
        }

        Description = description;
        Locations = locations;
        _instances = instances;
    }

    /// <summary>
    /// Reads every location with <paramref name="read"/>, up to <paramref name="maxConcurrency"/> at a time, and
    /// returns the bytes as a source with the same description and locations.
    /// </summary>
    public static async Task<MemorySource> ReadAllAsync(
        string description, IReadOnlyList<string> locations, Func<string, CancellationToken, Task<byte[]>> read, int maxConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var instances = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(locations, parallel, async (location, token) =>
            instances[location] = await read(location, token).ConfigureAwait(false)).ConfigureAwait(false);
        return new MemorySource(description, locations, instances);
    }

    public string Description { get; }

    public IReadOnlyList<string> Locations { get; }

    public Stream Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return _instances.TryGetValue(location, out byte[]? bytes)
            ? new MemoryStream(bytes, writable: false)
            : throw new ArgumentException($"'{location}' is not a location of {Description}.", nameof(location));
    }

    public void Dispose()
    {
    }
}
