using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IchFunctions.Functions.Tests.Orchestration.Support;

/// <summary>What <see cref="FaultProxy"/> does with a new connection.</summary>
public enum ProxyMode
{
    /// <summary>Forwards the bytes both ways to the target.</summary>
    Forward,

    /// <summary>Resets every connection at once, as a server that is down behind a load balancer does.</summary>
    Reset,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 that a test owns in front of a server it shares with other tests, so it can
/// make that server unreachable, or return 503, without stopping it. Entering <see cref="ProxyMode.Reset"/>
/// also resets the connections already open, which clients keep in their pools.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private int _resets;
    private int _unavailable;
    private int _unavailableLeft;
    private volatile ProxyMode _mode = ProxyMode.Forward;

    public FaultProxy(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections reset in <see cref="ProxyMode.Reset"/> mode.</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Requests that got 503 because of <see cref="AnswerUnavailable"/>.</summary>
    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Text of the request line that <see cref="AnswerUnavailable"/> matches, or null to forward every request untouched.</summary>
    public string? UnavailablePath { get; private set; }

    /// <summary>The target URL with this proxy's port in place of the target's.</summary>
    public Uri Rewrite(Uri url) => new UriBuilder(url) { Port = Port }.Uri;

    public void SetMode(ProxyMode mode)
    {
        _mode = mode;
        if (mode == ProxyMode.Reset)
        {
            lock (_open)
            {
                foreach (TcpClient client in _open)
                {
                    Reset(client);
                }

                _open.Clear();
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> requests whose request line contains <paramref name="path"/> get 503.</summary>
    public void AnswerUnavailable(string path, int count)
    {
        Volatile.Write(ref _unavailableLeft, count);
        UnavailablePath = path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener was stopped on purpose.
        }

        SetMode(ProxyMode.Reset);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_mode == ProxyMode.Reset)
            {
                Interlocked.Increment(ref _resets);
                Reset(client);
                continue;
            }

            lock (_open)
            {
                _open.Add(client);
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            NetworkStream down = client.GetStream();
            NetworkStream up = upstream.GetStream();
            Task toClient = up.CopyToAsync(down, _stop.Token);
            Task toServer = UnavailablePath is null ? down.CopyToAsync(up, _stop.Token) : FilterRequestsAsync(down, up);
            await Task.WhenAny(toClient, toServer);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed or the connection was reset on purpose.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
            }

            client.Dispose();
        }
    }

    /// <summary>
    /// Forwards HTTP/1.1 requests one at a time, returning 503 (and closing) instead for those that match
    /// <see cref="UnavailablePath"/> while the count lasts. Request bodies are read by Content-Length or chunked coding.
    /// </summary>
    private async Task FilterRequestsAsync(NetworkStream down, NetworkStream up)
    {
        var reader = new BufferedReader(down);
        while (true)
        {
            byte[]? head = await reader.ReadHeadAsync(_stop.Token);
            if (head is null)
            {
                return;
            }

            string headText = Encoding.ASCII.GetString(head);
            byte[] body = await reader.ReadBodyAsync(headText, _stop.Token);
            string requestLine = headText[..headText.IndexOf('\r', StringComparison.Ordinal)];
            if (UnavailablePath is { } path && requestLine.Contains(path, StringComparison.Ordinal) && Interlocked.Decrement(ref _unavailableLeft) >= 0)
            {
                Interlocked.Increment(ref _unavailable);
                const string Body = "{\"error\":\"the model is loading (test proxy)\"}";
                byte[] response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}");
                await down.WriteAsync(response, _stop.Token);
                return;
            }

            await up.WriteAsync(head, _stop.Token);
            await up.WriteAsync(body, _stop.Token);
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>Reads HTTP/1.1 request heads and raw bodies from a stream, keeping what it read ahead.</summary>
    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        /// <summary>Returns the request line and headers up to and including the blank line, or null at the end of the stream.</summary>
        public async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            var head = new MemoryStream();
            int matched = 0;
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return null;
                }

                byte value = _buffer[_start++];
                head.WriteByte(value);
                matched = value == "\r\n\r\n"[matched] ? matched + 1 : (value == '\r' ? 1 : 0);
                if (matched == 4)
                {
                    return head.ToArray();
                }
            }
        }

        /// <summary>Returns the body bytes as sent: Content-Length bytes, or chunks through the last one and its blank line.</summary>
        public async Task<byte[]> ReadBodyAsync(string head, CancellationToken cancellationToken)
        {
            var body = new MemoryStream();
            string[] lines = head.Split("\r\n");
            string? length = lines.FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (length is not null)
            {
                long remaining = long.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                while (remaining > 0)
                {
                    if (_start == _end && !await FillAsync(cancellationToken))
                    {
                        throw new IOException("The request body ended early.");
                    }

                    int take = (int)Math.Min(remaining, _end - _start);
                    body.Write(_buffer, _start, take);
                    _start += take;
                    remaining -= take;
                }
            }
            else if (lines.Any(line => line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            {
                while (true)
                {
                    string sizeLine = await ReadLineAsync(body, cancellationToken);
                    int size = int.Parse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                    for (int i = 0; i < size; i++)
                    {
                        if (_start == _end && !await FillAsync(cancellationToken))
                        {
                            throw new IOException("A request chunk ended early.");
                        }

                        body.WriteByte(_buffer[_start++]);
                    }

                    await ReadLineAsync(body, cancellationToken);
                    if (size == 0)
                    {
                        break;
                    }
                }
            }

            return body.ToArray();
        }

        private async Task<string> ReadLineAsync(MemoryStream copy, CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException("The request ended inside a chunk header.");
                }

                byte value = _buffer[_start++];
                copy.WriteByte(value);
                if (value == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)value);
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}
