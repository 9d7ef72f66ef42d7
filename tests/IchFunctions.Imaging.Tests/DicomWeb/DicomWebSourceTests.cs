using System.Net;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Sources;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;

namespace IchFunctions.Imaging.Tests.DicomWeb;

/// <summary>Retrieving a study's instances all at once, from a local server that returns each instance's own bytes.</summary>
public sealed class DicomWebSourceTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.9";

    [Fact]
    public async Task RetrieveAll_TwentyInstances_KeepsLimitAndBytes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        int inFlight = 0;
        int peak = 0;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(50, context.RequestAborted);
            Interlocked.Decrement(ref inFlight);
            context.Response.ContentType = "application/dicom; transfer-syntax=1.2.840.10008.1.2.1";
            await context.Response.WriteAsync(context.Request.Path.Value!.Split('/')[^1], context.RequestAborted);
        }, cancellationToken);
        string[] locations = [.. Enumerable.Range(1, 20).Select(i => $"1.2.3/1.2.3.{i}")];
        using var http = new HttpClient();
        var source = new DicomWebSource(new DicomWebClient(http, new DicomWebEndpoint(server.Root)), Study, locations);

        using MemorySource retrieved = await source.RetrieveAllAsync(maxConcurrency: 4, cancellationToken);

        Assert.Equal(locations, retrieved.Locations);
        foreach (string location in locations)
        {
            using var reader = new StreamReader(retrieved.Open(location));
            Assert.Equal(location.Split('/')[1], await reader.ReadToEndAsync(cancellationToken));
        }

        Assert.Equal(20, server.Requests.Count);
        Assert.InRange(peak, 2, 4);
    }

    [Fact]
    public async Task RetrieveAll_OneInstanceMissing_ThrowsWithStatus()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path.Value!.EndsWith(".7", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/dicom; transfer-syntax=1.2.840.10008.1.2.1";
            await context.Response.WriteAsync("x", context.RequestAborted);
        }, cancellationToken);
        string[] locations = [.. Enumerable.Range(1, 10).Select(i => $"1.2.3/1.2.3.{i}")];
        using var http = new HttpClient();
        var source = new DicomWebSource(new DicomWebClient(http, new DicomWebEndpoint(server.Root)), Study, locations);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => source.RetrieveAllAsync(maxConcurrency: 3, cancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("1.2.3.7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemorySource_UnknownLocation_ThrowsNamingIt()
    {
        using var source = new MemorySource("test exam", ["a"], new Dictionary<string, byte[]> { ["a"] = [1] });

        var error = Assert.Throws<ArgumentException>(() => source.Open("b"));

        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test exam", error.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
