using IchFunctions.Functions.Orchestration.Models;

namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>Reads runs of HU slices of the selected series from the chunk blobs that hold them, from the worker's cache when it can.</summary>
public static class HuSlices
{
    /// <summary>Reads slices [<paramref name="low"/>, <paramref name="high"/>) into <paramref name="destination"/>, which starts at slice <paramref name="low"/>.</summary>
    public static async Task ReadAsync(
        WorkBlobs work, VoxelCache cache, ChunkPlan plan, int low, int high, Memory<short> destination, CancellationToken cancellationToken)
    {
        int plane = plan.Rows * plan.Columns;
        int slice = low;
        while (slice < high)
        {
            int chunk = slice / plan.ChunkSlices;
            int chunkFirst = plan.FirstSlice(chunk);
            int take = Math.Min(high, chunkFirst + plan.SlicesIn(chunk)) - slice;
            Memory<short> target = destination.Slice((slice - low) * plane, take * plane);
            Azure.Storage.Blobs.BlobClient blob = work.HuChunk(chunk);
            short[]? cached = await cache.GetCurrentAsync(blob, cancellationToken).ConfigureAwait(false);
            if (cached is not null)
            {
                cached.AsMemory((slice - chunkFirst) * plane, take * plane).CopyTo(target);
            }
            else
            {
                await WorkBlobs.DownloadAsync(blob, (long)(slice - chunkFirst) * plane, target, cancellationToken).ConfigureAwait(false);
            }

            slice += take;
        }
    }
}
