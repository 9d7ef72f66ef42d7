using IchFunctions.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.Orchestration.Support;

/// <summary>The project's inference service on a free port of 127.0.0.1, on the CPU, serving the demo model with a shared key.</summary>
public sealed class InferenceServer : IAsyncDisposable
{
    public const string SharedKey = "orchestration-tests-shared-key-0123456789";

    private readonly WebApplication _app;

    private InferenceServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InferenceServer> StartAsync(CancellationToken cancellationToken)
    {
        WebApplication app = ServiceApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Model:Path={ScoreStudyHarness.DemoModel}",
            "--Model:ExecutionProvider=Cpu",
            $"--Authentication:SharedKey={SharedKey}",
        ]);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var server = new InferenceServer(app, new Uri(address + "/"));
        using var http = new HttpClient();
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using HttpResponseMessage ready = await http.GetAsync(new Uri(server.BaseAddress, "v2/health/ready"), cancellationToken);
            if (ready.IsSuccessStatusCode)
            {
                return server;
            }

            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException("The inference service did not become ready within 60 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
