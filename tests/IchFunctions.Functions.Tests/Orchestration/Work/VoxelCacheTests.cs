using Azure;
using Azure.Storage.Blobs;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Orchestration.Work;

/// <summary>The worker's voxel cache against blobs in Azurite, which decide by their ETag whether an entry is current.</summary>
public sealed class VoxelCacheTests : IAsyncLifetime
{
    private readonly BlobContainerClient _container = new(TestServers.AzuriteConnectionString, "voxel-cache-" + Guid.NewGuid().ToString("N")[..12]);

    public async ValueTask InitializeAsync() => await _container.CreateAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task GetCurrent_BlobUnchanged_ReturnsTheHeldVoxels()
    {
        VoxelCache cache = NewCache(megabytes: 1);
        (BlobClient blob, short[] voxels) = await WriteAsync("a/hu/00000.i16", 100);
        cache.Add(blob.Name, (await blob.GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag, voxels);

        Assert.Same(voxels, await cache.GetCurrentAsync(blob, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetCurrent_BlobRewritten_Misses()
    {
        VoxelCache cache = NewCache(megabytes: 1);
        (BlobClient blob, short[] voxels) = await WriteAsync("a/hu/00000.i16", 100);
        cache.Add(blob.Name, (await blob.GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag, voxels);
        await WriteAsync("a/hu/00000.i16", 100);

        Assert.Null(await cache.GetCurrentAsync(blob, TestContext.Current.CancellationToken));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public async Task GetCurrent_NeverAdded_ReturnsNull()
    {
        VoxelCache cache = NewCache(megabytes: 1);

        // The blob does not exist, so asking for its properties would throw.
        Assert.Null(await cache.GetCurrentAsync(_container.GetBlobClient("missing.i16"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Add_OverCapacity_DropsTheLeastRecentlyUsed()
    {
        VoxelCache cache = NewCache(megabytes: 1);
        int halfMegabyte = 256 * 1024;
        (BlobClient first, short[] firstVoxels) = await WriteAsync("a/hu/00000.i16", halfMegabyte);
        (BlobClient second, short[] secondVoxels) = await WriteAsync("a/hu/00001.i16", halfMegabyte);
        cache.Add(first.Name, (await first.GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag, firstVoxels);
        cache.Add(second.Name, (await second.GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag, secondVoxels);

        // Reading the first chunk makes the second the least recently used, so the third pushes the second out.
        Assert.NotNull(await cache.GetCurrentAsync(first, TestContext.Current.CancellationToken));
        cache.Add("a/hu/00002.i16", new ETag("1"), new short[halfMegabyte]);

        Assert.Same(firstVoxels, await cache.GetCurrentAsync(first, TestContext.Current.CancellationToken));
        Assert.Null(await cache.GetCurrentAsync(second, TestContext.Current.CancellationToken));
        Assert.Equal(2L * halfMegabyte * sizeof(short), cache.Bytes);
        Assert.Equal(2, cache.Hits);
    }

    [Fact]
    public void Add_CapacityZero_HoldsNothing()
    {
        VoxelCache cache = NewCache(megabytes: 0);
        cache.Add("a", new ETag("1"), new short[10]);

        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void RemovePrefix_DropsOnlyThatInstancesChunks()
    {
        VoxelCache cache = NewCache(megabytes: 1);
        cache.Add("one/hu/00000.i16", new ETag("1"), new short[10]);
        cache.Add("one/hu/00001.i16", new ETag("1"), new short[10]);
        cache.Add("two/hu/00000.i16", new ETag("1"), new short[10]);

        cache.RemovePrefix("one/");

        Assert.Equal(10 * sizeof(short), cache.Bytes);
    }

    private static VoxelCache NewCache(int megabytes) =>
        new(Microsoft.Extensions.Options.Options.Create(new ScoringOptions { VoxelCacheMegabytes = megabytes }));

    private async Task<(BlobClient Blob, short[] Voxels)> WriteAsync(string name, int count)
    {
        short[] voxels = [.. Enumerable.Range(0, count).Select(i => (short)(i - 50))];
        BlobClient blob = _container.GetBlobClient(name);
        await WorkBlobs.UploadAsync(blob, voxels, TestContext.Current.CancellationToken);
        return (blob, voxels);
    }
}
