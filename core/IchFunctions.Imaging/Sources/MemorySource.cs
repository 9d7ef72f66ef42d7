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
