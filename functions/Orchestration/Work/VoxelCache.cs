using Azure;
using Azure.Storage.Blobs;
using IchFunctions.Functions.Options;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>
/// The HU chunks this worker wrote to the work container, kept in memory so that an activity on the same
/// worker reads them without downloading. The blob stays the record: an entry is used only while the blob
/// still has the ETag it was written with, and every miss reads the blob. The least recently used chunks
/// leave first once <see cref="ScoringOptions.VoxelCacheMegabytes"/> is reached.
/// </summary>
public sealed class VoxelCache(IOptions<ScoringOptions> options)
{
    private readonly long _capacityBytes = (long)options.Value.VoxelCacheMegabytes * 1024 * 1024;
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private long _bytes;
    private long _hits;

    /// <summary>How many reads the cache served, for diagnostics and tests.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Bytes of voxels held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Keeps the voxels just written to <paramref name="blobName"/>; the caller must not change them afterwards.</summary>
    public void Add(string blobName, ETag etag, short[] voxels)
    {
        long size = (long)voxels.Length * sizeof(short);
        lock (_gate)
        {
            RemoveLocked(blobName);
            if (size > _capacityBytes)
            {
                return;
            }

            while (_bytes + size > _capacityBytes)
            {
                RemoveLocked(_recency.First!.Value.BlobName);
            }

            _entries[blobName] = _recency.AddLast(new Entry(blobName, etag, voxels));
            _bytes += size;
        }
    }

    /// <summary>
    /// Returns the voxels of <paramref name="blob"/> when they are held and the blob has not changed since,
    /// else null. The returned array is shared: read it, never write it.
    /// </summary>
    public async Task<short[]?> GetCurrentAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(blob.Name, out LinkedListNode<Entry>? node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddLast(node);
            entry = node.Value;
        }

        ETag current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag;
        if (current == entry.ETag)
        {
            Interlocked.Increment(ref _hits);
            return entry.Voxels;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(blob.Name, out LinkedListNode<Entry>? node) && ReferenceEquals(node.Value, entry))
            {
                RemoveLocked(blob.Name);
            }
        }

        return null;
    }

    /// <summary>Drops every chunk whose blob name starts with <paramref name="prefix"/>.</summary>
    public void RemovePrefix(string prefix)
    {
        lock (_gate)
        {
            foreach (string name in _entries.Keys.Where(name => name.StartsWith(prefix, StringComparison.Ordinal)).ToArray())
            {
                RemoveLocked(name);
            }
        }
    }

    private void RemoveLocked(string blobName)
    {
        if (_entries.Remove(blobName, out LinkedListNode<Entry>? node))
        {
            _recency.Remove(node);
            _bytes -= (long)node.Value.Voxels.Length * sizeof(short);
        }
    }

    private sealed record Entry(string BlobName, ETag ETag, short[] Voxels);
}
