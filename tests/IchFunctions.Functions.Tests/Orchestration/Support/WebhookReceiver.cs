using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace IchFunctions.Functions.Tests.Orchestration.Support;

/// <summary>An HTTP endpoint on a free port of 127.0.0.1 that returns 200 to every POST and keeps the bodies.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/alerts/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    /// <summary>Bodies of the POST requests received, in order.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
        {
            // The listener was stopped on purpose.
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context = await _listener.GetContextAsync();
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                Bodies.Enqueue(await reader.ReadToEndAsync());
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
