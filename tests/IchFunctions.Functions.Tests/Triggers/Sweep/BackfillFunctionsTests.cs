using System.Text;
using System.Text.Json;
using IchFunctions.Functions.Triggers.Sweep.Backfill;
using IchFunctions.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Tests.Triggers.Sweep;

/// <summary>POST and GET /api/backfill, with the backfill orchestration on the in-process Durable Task host.</summary>
public sealed class BackfillFunctionsTests
{
    [Fact]
    public async Task Backfill_DateRange_StartsCtStudiesInRange()
    {
        var service = new SweepDicomService();
        string[] inRange = [.. Enumerable.Range(1, 6).Select(SweepDicomService.StudyUid)];
        foreach (string study in inRange)
        {
            service.AddSeries(study, "CT", instances: 1, studyDate: new DateOnly(2024, 3, 10));
        }

        string mrInRange = SweepDicomService.StudyUid(7);
        string ctOutOfRange = SweepDicomService.StudyUid(8);
        service.AddSeries(mrInRange, "MR", instances: 1, studyDate: new DateOnly(2024, 3, 11));
        service.AddSeries(ctOutOfRange, "CT", instances: 1, studyDate: new DateOnly(2024, 4, 1));
        await using LocalHttpServer server = await service.StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 2);

        HttpRequest request = Post("""{"from": "2024-03-01", "to": "2024-03-31"}""");
        IActionResult response = await host.NewBackfillFunctions().StartAsync(request, host.Client, TestContext.Current.CancellationToken);
        var accepted = Assert.IsType<ObjectResult>(response);
        string backfillId = JsonSerializer.SerializeToElement(accepted.Value).GetProperty("id").GetString()!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        OrchestrationMetadata backfill = await host.Client.WaitForInstanceCompletionAsync(backfillId, getInputsAndOutputs: true, deadline.Token);
        string[] instanceIds = await Task.WhenAll(inRange.Select(host.InstanceIdAsync));
        await host.WaitForAllAsync(instanceIds, TimeSpan.FromMinutes(1));
        IActionResult status = await BackfillFunctions.StatusAsync(Get(), host.Client, backfillId, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.EndsWith("/api/backfill/" + backfillId, request.HttpContext.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, backfill.RuntimeStatus);
        BackfillState final = backfill.ReadOutputAs<BackfillState>()!;
        Assert.True(final.Done);
        Assert.Equal(7, final.Examined);
        Assert.Equal(6, final.Started);
        Assert.Equal(instanceIds.Order(), host.Starts.Keys.Order());
        Assert.InRange(host.MaxRunning, 1, 2);
        Assert.All(host.Requests, item => Assert.Equal(BackfillPass.TriggerName, item.Trigger));
        Assert.IsType<OkObjectResult>(status);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{\"from\": \"2024-03-01\"", "body")]
    [InlineData("""{"to": "2024-03-31"}""", "from")]
    [InlineData("""{"from": "2024-13-01", "to": "2024-03-31"}""", "from")]
    [InlineData("""{"from": 20240301, "to": "2024-03-31"}""", "from")]
    [InlineData("""{"from": "2024-03-01"}""", "to")]
    [InlineData("""{"from": "2024-03-31", "to": "2024-03-01"}""", "to")]
    [InlineData("""{"from": "2024-03-01", "to": "2024-03-31", "rerunFailed": "yes"}""", "rerunFailed")]
    [InlineData("""{"from": "2024-03-01", "to": "2024-03-31", "limit": 5}""", "limit")]
    public async Task Backfill_BadBody_Returns400NamingField(string body, string field)
    {
        await using LocalHttpServer server = await new SweepDicomService().StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 2);

        IActionResult response = await host.NewBackfillFunctions().StartAsync(Post(body), host.Client, TestContext.Current.CancellationToken);

        var problem = Assert.IsType<ObjectResult>(response);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        var details = Assert.IsType<ProblemDetails>(problem.Value);
        Assert.Equal(field, details.Extensions["field"]);
        Assert.Contains(field == "body" ? "body" : field, details.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackfillStatus_UnknownId_Returns404()
    {
        await using LocalHttpServer server = await new SweepDicomService().StartAsync(TestContext.Current.CancellationToken);
        await using SweepTestHost host = await SweepTestHost.StartAsync(server.Root, maxConcurrent: 2);

        IActionResult response = await BackfillFunctions.StatusAsync(Get(), host.Client, "backfill-missing", TestContext.Current.CancellationToken);

        Assert.IsType<NotFoundObjectResult>(response);
    }

    private static HttpRequest Post(string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("ich.example.net");
        context.Request.Path = "/api/backfill";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context.Request;
    }

    private static HttpRequest Get()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        return context.Request;
    }
}
