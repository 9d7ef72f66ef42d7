using System.Text;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Http;
using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace IchFunctions.Functions.Tests.Triggers.Http;

/// <summary>
/// POST and GET /api/score against the in-process Durable Task host, with ScoreStudy replaced by
/// <see cref="ScoredOutcomeProbe"/> so the test can see the stages and a known outcome.
/// </summary>
public sealed class ScoreFunctionsTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.77";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_Returns202ThenPollingReachesOutcome()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);
        ScoreFunctions functions = harness.Create<ScoreFunctions>();

        HttpRequest post = Request("POST", $"{{\"studyInstanceUid\":\"{Study}\",\"operatingPoint\":\"high-sensitivity\"}}");
        var accepted = Assert.IsType<ObjectResult>(await functions.StartAsync(post, harness.Client, Cancellation));

        string id = ScoreStudyNames.InstanceId(null, Study, TriggerHarness.ModelVersion);
        string location = $"https://ich.example.net/api/score/{id}";
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.Equal(location, post.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal("10", post.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(id, Assert.IsType<ScoreStatusResponse>(accepted.Value).Id);

        var stages = new HashSet<string>(StringComparer.Ordinal);
        ScoreStatusResponse status = await PollAsync(id, stages);
        Assert.Equal("Completed", status.RuntimeStatus);
        Assert.Contains("Inference", stages);
        Assert.Equal(location, status.StatusUrl);
        Assert.Equal(Study, status.StudyInstanceUid);
        Assert.Equal("http", status.Trigger);
        ScoreOutcomeResponse outcome = status.Outcome!;
        Assert.Equal("Scored", outcome.Kind);
        Assert.Equal("positive", outcome.Decision);
        Assert.Equal("high-sensitivity", outcome.OperatingPoint);
        Assert.Equal(ScoredOutcomeProbe.Probability, outcome.ExamProbability);
        Assert.Equal(ScoredOutcomeProbe.VolumeMl, outcome.HemorrhageVolumeMl);
        Assert.Equal(ScoredOutcomeProbe.SegmentationUid, outcome.SegmentationSopInstanceUid);
        Assert.Equal(ScoredOutcomeProbe.SrUid, outcome.ReportSrSopInstanceUid);

        async Task<ScoreStatusResponse> PollAsync(string instanceId, HashSet<string> seen)
        {
            for (int attempt = 0; attempt < 200; attempt++)
            {
                var ok = Assert.IsType<OkObjectResult>(await ScoreFunctions.GetStatusAsync(Request("GET", ""), instanceId, harness.Client, Cancellation));
                var current = Assert.IsType<ScoreStatusResponse>(ok.Value);
                if (current.Stage is not null)
                {
                    seen.Add(current.Stage);
                }

                if (current.RuntimeStatus is "Completed" or "Failed" or "Terminated")
                {
                    return current;
                }

                await Task.Delay(100, Cancellation);
            }

            throw new TimeoutException($"Instance {instanceId} did not end within 20 s of polling.");
        }
    }

    [Fact]
    public async Task Post_WhileRunning_ReturnsSameInstance()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);
        ScoreFunctions functions = harness.Create<ScoreFunctions>();
        string body = $"{{\"studyInstanceUid\":\"{Study}\"}}";

        var first = Assert.IsType<ObjectResult>(await functions.StartAsync(Request("POST", body), harness.Client, Cancellation));
        var second = Assert.IsType<ObjectResult>(await functions.StartAsync(Request("POST", body), harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status202Accepted, second.StatusCode);
        Assert.Equal(Assert.IsType<ScoreStatusResponse>(first.Value).Id, Assert.IsType<ScoreStatusResponse>(second.Value).Id);
        Assert.Single(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task Post_AfterCompletion_ForceStartsNewRun()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);
        ScoreFunctions functions = harness.Create<ScoreFunctions>();
        string id = ScoreStudyNames.InstanceId(null, Study, TriggerHarness.ModelVersion);
        await functions.StartAsync(Request("POST", $"{{\"studyInstanceUid\":\"{Study}\"}}"), harness.Client, Cancellation);
        var firstRun = await harness.Client.WaitForInstanceCompletionAsync(id, Cancellation);

        var again = Assert.IsType<ObjectResult>(await functions.StartAsync(Request("POST", $"{{\"studyInstanceUid\":\"{Study}\"}}"), harness.Client, Cancellation));
        var forced = Assert.IsType<ObjectResult>(await functions.StartAsync(Request("POST", $"{{\"studyInstanceUid\":\"{Study}\",\"force\":true}}"), harness.Client, Cancellation));
        var secondRun = await harness.Client.WaitForInstanceCompletionAsync(id, Cancellation);

        Assert.Equal(StatusCodes.Status200OK, again.StatusCode);
        Assert.Equal("Scored", Assert.IsType<ScoreStatusResponse>(again.Value).Outcome?.Kind);
        Assert.Equal(StatusCodes.Status202Accepted, forced.StatusCode);
        Assert.True(secondRun.CreatedAt > firstRun.CreatedAt, $"forced run created {secondRun.CreatedAt:O}, first {firstRun.CreatedAt:O}");
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("not json", "body")]
    [InlineData("[1]", "body")]
    [InlineData("{}", "studyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":null}", "studyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":5}", "studyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":\"1.2.03\"}", "studyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3 \"}", "studyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"abc\"}", "seriesInstanceUid")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"dataPartition\":\"a/b\"}", "dataPartition")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"operatingPoint\":\"\"}", "operatingPoint")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"force\":\"yes\"}", "force")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"priority\":1}", "priority")]
    [InlineData("{\"StudyInstanceUid\":\"1.2.3\"}", "StudyInstanceUid")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"studyInstanceUid\":\"1.2.4\"}", "studyInstanceUid")]
    public async Task Post_InvalidBody_Returns400NamingField(string body, string field)
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);

        var result = Assert.IsType<ObjectResult>(await harness.Create<ScoreFunctions>().StartAsync(Request("POST", body), harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
        var problem = Assert.IsType<ProblemDetails>(result.Value);
        Assert.Equal(field, problem.Extensions["field"]);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task Post_UidOver64Characters_Returns400()
    {
        string longUid = "1." + string.Concat(Enumerable.Repeat("1234567890", 7));
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);

        var result = Assert.IsType<ObjectResult>(await harness.Create<ScoreFunctions>().StartAsync(Request("POST", $"{{\"studyInstanceUid\":\"{longUid}\"}}"), harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
        Assert.Contains("at most 64 characters", Assert.IsType<ProblemDetails>(result.Value).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OversizedBody_Returns400()
    {
        string body = $"{{\"studyInstanceUid\":\"1.2.3\",\"operatingPoint\":\"{new string('a', ScoreRequestReader.MaxBodyBytes)}\"}}";
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);

        var result = Assert.IsType<ObjectResult>(await harness.Create<ScoreFunctions>().StartAsync(Request("POST", body), harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
        Assert.Contains($"at most {ScoreRequestReader.MaxBodyBytes} are accepted", Assert.IsType<ProblemDetails>(result.Value).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);

        var result = Assert.IsType<ObjectResult>(await ScoreFunctions.GetStatusAsync(Request("GET", ""), "ich-" + new string('0', 32), harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status404NotFound, result.StatusCode);
    }

    [Theory]
    [InlineData("ich-123")]
    [InlineData("../admin")]
    [InlineData("ICH-0123456789ABCDEF0123456789ABCDEF")]
    public async Task Get_MalformedId_Returns400(string id)
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(ScoredOutcomeProbe.Register, realModel: false, Cancellation);

        var result = Assert.IsType<ObjectResult>(await ScoreFunctions.GetStatusAsync(Request("GET", ""), id, harness.Client, Cancellation));

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
        Assert.Equal("id", Assert.IsType<ProblemDetails>(result.Value).Extensions["field"]);
    }


    private static HttpRequest Request(string method, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("ich.example.net");
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        return context.Request;
    }
}
