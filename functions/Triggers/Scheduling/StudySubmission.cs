using IchFunctions.Functions.Orchestration;

namespace IchFunctions.Functions.Triggers.Scheduling;

/// <summary>What happens to a study whose ScoreStudy instance already ended.</summary>
public enum RescoreRule
{
    /// <summary>Leave the ended instance alone, so its outcome is kept.</summary>
    Never,

    /// <summary>Start a new run: the caller asks for it explicitly (HTTP with force, a new zip upload).</summary>
    Always,

    /// <summary>
    /// Start a new run only when the instance that triggered the submission was stored after the ended run
    /// last changed state; a redelivered event for an instance stored earlier changes nothing.
    /// </summary>
    WhenStoredAfterRunEnded,
}

/// <summary>A trigger's request to have a study scored.</summary>
public sealed record StudySubmission
{
    /// <summary>Deterministic instance ID from <see cref="ScoreStudyNames.InstanceId"/>.</summary>
    public required string InstanceId { get; init; }

    public required ScoreStudyRequest Request { get; init; }

    /// <summary>
    /// True when a running instance should hear of this submission as an <see cref="ScoreStudyNames.InstanceArrivedEvent"/>,
    /// which restarts its quiet period.
    /// </summary>
    public bool RaiseArrivalWhenRunning { get; init; }

    /// <summary>SOP Instance UID sent as the event payload, or null.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>When the triggering instance was stored; required by <see cref="RescoreRule.WhenStoredAfterRunEnded"/>.</summary>
    public DateTimeOffset? StoredAt { get; init; }

    public RescoreRule Rescore { get; init; } = RescoreRule.Never;
}

/// <summary>What a submission did.</summary>
public enum ScheduleDecision
{
    /// <summary>No instance existed; a new one was scheduled.</summary>
    Started,

    /// <summary>An ended instance was replaced by a new run.</summary>
    Restarted,

    /// <summary>The instance runs; it was sent an InstanceArrived event.</summary>
    EventRaised,

    /// <summary>The instance runs and the submission did not ask for an event.</summary>
    AlreadyRunning,

    /// <summary>The instance ended and the rescore rule keeps its outcome.</summary>
    AlreadyEnded,
}
