using IchFunctions.Functions.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IchFunctions.Functions.Tests.Health;

public sealed class HealthFunctionTests
{
    [Fact]
    public void Run_ReturnsLiveWithVersion()
    {
        var result = Assert.IsType<OkObjectResult>(HealthFunction.Run(new DefaultHttpContext().Request));

        var report = Assert.IsType<HealthReport>(result.Value);
        Assert.Equal("live", report.Status);
        Assert.False(string.IsNullOrWhiteSpace(report.Version));
    }
}
