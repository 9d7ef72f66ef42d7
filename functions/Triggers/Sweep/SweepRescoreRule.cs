using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>What a sweep or backfill did with one study.</summary>
public enum SweepDecision
{
    /// <summary>No ScoreStudy instance existed for the study and model version; one was started.</summary>
    Started,

    /// <summary>The instance had failed or was terminated before newer instances of the study were stored; it was run again.</summary>
    Restarted,

    /// <summary>The instance completed: the study is scored by this model version.</summary>
    AlreadyScored,

    /// <summary>The instance is pending or running, started by another trigger or an earlier pass.</summary>
    AlreadyRunning,

    /// <summary>The instance failed or was terminated and nothing was stored since, so its outcome is kept.</summary>
    FailureKept,

    /// <summary>All slots stayed taken until the pass's time ran out; the study was not started.</summary>
    NoSlot,
}

/// <summary>
/// When a sweep starts a study again. Completed instances are never rerun. A Failed or Terminated instance
/// is rerun only when the change feed shows an instance of the study stored after the run last changed
/// state, because the same input would fail the same way. A backfill reruns one only when its request sets
/// <c>rerunFailed</c>.
/// </summary>
public static class SweepRescoreRule
{
    /// <summary>True for the runtime states in which an instance runs no more.</summary>
    public static bool IsEnded(OrchestrationRuntimeStatus status) => status
        is OrchestrationRuntimeStatus.Completed
        or OrchestrationRuntimeStatus.Failed
        or OrchestrationRuntimeStatus.Terminated
#pragma warning disable CS0618 // Canceled is obsolete but older backends still report it.
        or OrchestrationRuntimeStatus.Canceled;
#pragma warning restore CS0618

    /// <summary>
    /// Decides from the existing instance (null when none exists) whether to start the study. Returns null to
    /// start it, or else the decision that leaves it alone.
    /// </summary>
    /// <param name="existing">The study's instance for this model version, or null.</param>
    /// <param name="storedAt">When the change feed says an instance of the study was stored, or null (backfill).</param>
    /// <param name="rerunFailed">True when the caller requests a rerun of failed instances regardless of <paramref name="storedAt"/>.</param>
    public static SweepDecision? Decide(OrchestrationMetadata? existing, DateTimeOffset? storedAt, bool rerunFailed)
    {
        if (existing is null)
        {
            return null;
        }

        if (existing.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
        {
            return SweepDecision.AlreadyScored;
        }

        if (!IsEnded(existing.RuntimeStatus))
        {
            return SweepDecision.AlreadyRunning;
        }

        bool newerData = storedAt is { } stored && stored > existing.LastUpdatedAt;
        return rerunFailed || newerData ? null : SweepDecision.FailureKept;
    }
}
