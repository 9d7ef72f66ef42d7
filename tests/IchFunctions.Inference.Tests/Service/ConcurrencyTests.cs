using System.Net;

namespace IchFunctions.Inference.Tests.Service;

public sealed class ConcurrencyTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const int Clients = 32;
    private const int RequestsPerClient = 3;

    [Fact]
    public async Task ConcurrentClients_MergedAndEachGetsOwnOutputs()
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        var inputs = Enumerable.Range(0, Clients).Select(client => Tensors.Input(1, 32, 40, seed: 100 + client)).ToArray();
        var references = new (float[] Pixels, float[] Slices)[Clients];
        for (int client = 0; client < Clients; client++)
        {
            references[client] = await Tensors.ReferenceAsync(inputs[client], 1, 32, 40);
        }

        using var start = new SemaphoreSlim(0);
        Task[] clients = [.. Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            await start.WaitAsync(token);
            for (int request = 0; request < RequestsPerClient; request++)
            {
                bool binary = (client + request) % 2 == 0;
                using HttpContent content = binary
                    ? Tensors.BinaryRequest(inputs[client], [1, 3, 32, 40], binaryOutputs: true)
                    : Tensors.JsonRequest(inputs[client], [1, 3, 32, 40]);
                using HttpResponseMessage response = await service.Client.PostAsync(Tensors.Infer(), content, token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                (float[] pixels, float[] slices, _) = await Tensors.ReadResponseAsync(response, 1, 32, 40);

                // Merged runs may pick other kernels than a run of one, so equality is within float rounding.
                AssertClose(references[client].Pixels, pixels, client);
                AssertClose(references[client].Slices, slices, client);
            }
        }, token))];
        start.Release(Clients);
        await Task.WhenAll(clients);

        Assert.Contains(service.BatchSizes, size => size > 1);
        Assert.All(service.BatchSizes, size => Assert.InRange(size, 1, 16));
        Assert.Equal(service.BatchSizes.Count, service.Providers.Count);
        Assert.All(service.Providers, provider => Assert.Equal("CPU", provider));
    }

    private static void AssertClose(float[] expected, float[] actual, int client)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5f, $"Client {client}: outputs differ from its own in-process outputs by up to {worst}.");
    }
}
