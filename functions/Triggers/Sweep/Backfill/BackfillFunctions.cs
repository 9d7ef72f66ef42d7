using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Sweep.Backfill;

/// <summary>
/// Admin endpoints of the backfill: <c>POST /api/backfill</c> starts a SweepBackfill orchestration over a
/// StudyDate range and <c>GET /api/backfill/{id}</c> reports its progress. Both need the host's admin
/// (master) key. Also the Functions registrations of the orchestration and its pass activity.
/// </summary>
public sealed class BackfillFunctions(BackfillPass pass, ILogger<BackfillFunctions> logger)
{
    public const string StartName = "BackfillStart";
    public const string StatusName = "BackfillStatus";
    public const string Route = "backfill";

    [Function(StartName)]
    public async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        BackfillState state;
        try
        {
            state = await BackfillRequestReader.ReadAsync(request.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidBackfillRequestException error)
        {
            SweepLogs.BackfillRejected(logger, error.Field, error.Message);
            return new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid backfill request",
                Detail = error.Message,
                Extensions = { ["field"] = error.Field },
            })
            { StatusCode = StatusCodes.Status400BadRequest };
        }

        string instanceId = $"backfill-{state.From:yyyyMMdd}-{state.To:yyyyMMdd}-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(BackfillOrchestration.Name, state, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        SweepLogs.BackfillScheduled(logger, instanceId, state.From, state.To);
        string statusUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/api/{Route}/{instanceId}";
        request.HttpContext.Response.Headers.Location = statusUrl;
        return new ObjectResult(new { id = instanceId, statusUrl, state }) { StatusCode = StatusCodes.Status202Accepted };
    }

    [Function(StatusName)]
    public static async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = Route + "/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.Name != BackfillOrchestration.Name)
        {
            return new NotFoundObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Backfill not found",
                Detail = $"No backfill has the ID '{id}'; use the id returned by POST /api/{Route}.",
            });
        }

        BackfillState? progress = instance.ReadCustomStatusAs<BackfillState>() ?? instance.ReadInputAs<BackfillState>();
        return new OkObjectResult(new { id, runtimeStatus = instance.RuntimeStatus.ToString(), state = progress });
    }

    [Function(BackfillOrchestration.Name)]
    public static Task<BackfillState> RunOrchestrationAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        BackfillState state = context.GetInput<BackfillState>()
            ?? throw new ArgumentException("SweepBackfill was started without a BackfillState input.", nameof(context));
        return BackfillOrchestration.RunAsync(context, state);
    }

    [Function(BackfillOrchestration.PassActivity)]
    public Task<BackfillPassResult> RunPassAsync(
        [ActivityTrigger] BackfillState state, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pass.RunAsync(client, state, cancellationToken);
}
