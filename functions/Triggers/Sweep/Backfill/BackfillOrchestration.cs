using Microsoft.DurableTask;

namespace IchFunctions.Functions.Triggers.Sweep.Backfill;

/// <summary>
/// Runs backfill passes until the StudyDate range is done. Each pass is one activity bounded by the
/// sweep's time budget, and the orchestration continues as new after each, so its history stays short.
/// </summary>
public static class BackfillOrchestration
{
    public const string Name = "SweepBackfill";
    public const string PassActivity = "SweepBackfillPass";

    /// <summary>Wait before the next pass when the last one stopped because all slots stayed taken.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(30);

    public static async Task<BackfillState> RunAsync(TaskOrchestrationContext context, BackfillState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        BackfillPassResult pass = await context.CallActivityAsync<BackfillPassResult>(PassActivity, state);
        BackfillState next = state with
        {
            Offset = pass.NextOffset,
            Examined = state.Examined + pass.Examined,
            Started = state.Started + pass.Started,
            Passes = state.Passes + 1,
            Done = pass.Done,
        };
        context.SetCustomStatus(next);
        if (next.Done)
        {
            return next;
        }

        if (pass.WaitedForSlots)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + SlotWait, CancellationToken.None);
        }

        context.ContinueAsNew(next);
        return next;
    }
}
