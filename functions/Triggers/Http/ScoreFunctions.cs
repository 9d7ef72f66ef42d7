using System.Text.RegularExpressions;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Http;

/// <summary>
/// On-demand scoring: <c>POST /api/score</c> starts (or finds) the study's ScoreStudy instance and
/// <c>GET /api/score/{id}</c> reports its stage, progress and outcome. Both need a function key.
/// </summary>
public sealed partial class ScoreFunctions(
    IModelVersionSource model,
    StudyScheduler scheduler,
    IOptions<DicomServiceOptions> dicomService,
    ILogger<ScoreFunctions> logger)
{
    public const string StartName = "ScoreStart";
    public const string StatusName = "ScoreStatus";
    public const string Route = "score";

    /// <summary>Value of <see cref="ScoreStudyRequest.Trigger"/> for runs started over HTTP.</summary>
    public const string TriggerName = "http";

    /// <summary>Seconds a client should wait before polling a run that has not ended.</summary>
    public const int RetryAfterSeconds = 10;

    [Function(StartName)]
    public async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        ScoreRequestBody body;
        try
        {
            body = await ScoreRequestReader.ReadAsync(request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException error)
        {
            TriggerLogs.HttpRequestRejected(logger, error.Field, error.Message);
            return Problem(StatusCodes.Status400BadRequest, "Invalid request body", error.Message, error.Field);
        }

        string? partition = body.DataPartition ?? NullIfEmpty(dicomService.Value.DataPartition);
        string modelVersion = await model.GetModelVersionAsync(cancellationToken).ConfigureAwait(false);
        string instanceId = ScoreStudyNames.InstanceId(partition, body.StudyInstanceUid, modelVersion);
        var submission = new StudySubmission
        {
            InstanceId = instanceId,
            Request = new ScoreStudyRequest
            {
                StudyInstanceUid = body.StudyInstanceUid,
                SeriesInstanceUid = body.SeriesInstanceUid,
                DataPartition = partition,
                OperatingPoint = body.OperatingPoint,
                Trigger = TriggerName,
            },
            Rescore = body.Force ? RescoreRule.Always : RescoreRule.Never,
        };
        ScheduleDecision decision = await scheduler.SubmitAsync(client, submission, cancellationToken).ConfigureAwait(false);
        TriggerLogs.HttpSubmitted(logger, instanceId, decision);

        OrchestrationMetadata? instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        string statusUrl = StatusUrl(request, instanceId);
        request.HttpContext.Response.Headers.Location = statusUrl;
        if (instance is null || !ScoreStatusResponse.IsEnded(instance))
        {
            request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        object response = instance is null ? new { id = instanceId, statusUrl } : ScoreStatusResponse.From(instance, statusUrl);
        int status = decision == ScheduleDecision.AlreadyEnded ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
        return new ObjectResult(response) { StatusCode = status };
    }

    [Function(StatusName)]
    public static async Task<IActionResult> GetStatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route + "/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!InstanceIdPattern().IsMatch(id ?? ""))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid instance ID",
                $"'{Shorten(id)}' is not a ScoreStudy instance ID: 'ich-' followed by 32 lowercase hex digits, as returned by POST /api/{Route}.", "id");
        }

        OrchestrationMetadata? instance = await client.GetInstanceAsync(id!, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Instance not found",
                $"No ScoreStudy instance '{id}' exists; it was never started or has been purged. Start one with POST /api/{Route}.", "id");
        }

        if (!ScoreStatusResponse.IsEnded(instance))
        {
            request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new OkObjectResult(ScoreStatusResponse.From(instance, StatusUrl(request, id!)));
    }

    /// <summary>Absolute URL of an instance's status resource, on the host and scheme the request came in on.</summary>
    public static string StatusUrl(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}/api/{Route}/{instanceId}";
    }

    private static ObjectResult Problem(int status, string title, string detail, string field)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["field"] = field;
        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Shorten(string? value)
    {
        if (value is null)
        {
            return "";
        }

        return value.Length <= 70 ? value : value[..70] + "...";
    }

    [GeneratedRegex("^ich-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceIdPattern();
}
