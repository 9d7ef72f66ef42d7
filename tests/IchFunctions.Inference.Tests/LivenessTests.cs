using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IchFunctions.Inference.Tests;

public sealed class LivenessTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public LivenessTests(WebApplicationFactory<Program> factory) => _factory = factory;

    [Fact]
    public async Task HealthLive_Returns200()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/v2/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
