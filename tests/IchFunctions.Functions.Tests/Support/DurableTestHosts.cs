using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>Starts in-process Durable Task test hosts that can run side by side in parallel test classes.</summary>
internal static class DurableTestHosts
{
    /// <summary>
    /// Starts a host on a port that was free a moment ago. The host's own choice is a random port without a
    /// check, which collides when test classes start hosts in parallel, so a collision is retried.
    /// </summary>
    public static async Task<DurableTaskTestHost> StartAsync(
        Action<DurableTaskRegistry> register, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new DurableTaskTestHostOptions { Port = FreePort() };
            if (loggerFactory is not null)
            {
                options.LoggerFactory = loggerFactory;
            }

            try
            {
                return await DurableTaskTestHost.StartAsync(register, options, cancellationToken);
            }
            catch (IOException error) when (attempt < 5 && error.InnerException is AddressInUseException)
            {
                await Task.Delay(50 * attempt, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
