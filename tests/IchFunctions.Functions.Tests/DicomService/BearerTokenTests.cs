using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IchFunctions.Functions.Tests.DicomService;

public sealed class BearerTokenTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.6";

    [Fact]
    public async Task Client_WithScope_SendsCredentialTokenOnce()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await StartEmptyQidoAsync(cancellationToken);
        var credential = new CountingCredential(TimeProvider.System);
        using ServiceProvider provider = DicomServiceHost.Build(
            new Uri(server.Root, "v2/"), new Dictionary<string, string?> { ["DicomService:TokenScope"] = DicomServiceOptions.AzureDicomTokenScope }, credential);
        DicomWebClient client = provider.Client();

        await client.SearchAsync(QidoTarget.Studies(), cancellationToken: cancellationToken);
        await client.SearchAsync(QidoTarget.Series(Study), cancellationToken: cancellationToken);

        Assert.All(server.Requests, request => Assert.Equal("Bearer token-1", request.Header("Authorization")));
        string[] scopes = Assert.Single(credential.Requests);
        Assert.Equal([DicomServiceOptions.AzureDicomTokenScope], scopes);
    }

    [Fact]
    public async Task Client_EmptyScope_SendsNoToken()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using LocalHttpServer server = await StartEmptyQidoAsync(cancellationToken);
        var credential = new CountingCredential(TimeProvider.System);
        using ServiceProvider provider = DicomServiceHost.Build(new Uri(server.Root, "v2/"), credential: credential);

        await provider.Client().SearchAsync(QidoTarget.Studies(), cancellationToken: cancellationToken);

        Assert.Null(Assert.Single(server.Requests).Header("Authorization"));
        Assert.Empty(credential.Requests);
    }

    [Fact]
    public async Task TokenCache_NearExpiry_AcquiresNewToken()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero));
        var credential = new CountingCredential(clock);
        using DicomServiceTokenCache cache = CreateCache(credential, clock);

        string first = await cache.GetTokenAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(54));
        string stillFirst = await cache.GetTokenAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        string second = await cache.GetTokenAsync(cancellationToken);

        Assert.Equal("token-1", first);
        Assert.Equal("token-1", stillFirst);
        Assert.Equal("token-2", second);
        Assert.Equal(2, credential.Requests.Count);
    }

    [Fact]
    public async Task BearerHandler_Unauthorized_RenewsTokenForNextRequest()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        int calls = 0;
        await using LocalHttpServer server = await LocalHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync("[]", cancellationToken);
        }, cancellationToken);
        var credential = new CountingCredential(TimeProvider.System);
        using DicomServiceTokenCache cache = CreateCache(credential, TimeProvider.System);
        using var http = new HttpClient(new BearerTokenHandler(cache) { InnerHandler = new HttpClientHandler() });
        var client = new DicomWebClient(http, new DicomWebEndpoint(new Uri(server.Root, "v2/")));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchAsync(QidoTarget.Studies(), cancellationToken: cancellationToken));
        await client.SearchAsync(QidoTarget.Studies(), cancellationToken: cancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Requests.Select(request => request.Header("Authorization")));
    }

    private static DicomServiceTokenCache CreateCache(CountingCredential credential, TimeProvider clock) =>
        new(credential, Microsoft.Extensions.Options.Options.Create(new DicomServiceOptions { TokenScope = DicomServiceOptions.AzureDicomTokenScope }),
            clock, NullLogger<DicomServiceTokenCache>.Instance);

    private static Task<LocalHttpServer> StartEmptyQidoAsync(CancellationToken cancellationToken) =>
        LocalHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/dicom+json";
            await context.Response.WriteAsync("[]", cancellationToken);
        }, cancellationToken);
}
