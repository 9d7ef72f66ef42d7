using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Testing;

/// <summary>A request as <see cref="LocalHttpServer"/> received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, QueryString Query, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port that answers every request with a test's handler, for
/// services that cannot run here (the Azure DICOM service). It records each request's method, path, query
/// and headers in arrival order.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private LocalHttpServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The server's root URL, ending in a slash.</summary>
    public Uri Root { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<LocalHttpServer> StartAsync(Func<HttpContext, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        LocalHttpServer? server = null;
        app.Run(async context =>
        {
            var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            server!._requests.Enqueue(new ReceivedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString, headers, DateTimeOffset.UtcNow));
            await handler(context);
        });
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new LocalHttpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
