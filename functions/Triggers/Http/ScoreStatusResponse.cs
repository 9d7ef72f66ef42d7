using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Triggers.Http;

/// <summary>Body of <c>GET /api/score/{id}</c> and of the <c>POST /api/score</c> responses.</summary>
public sealed record ScoreStatusResponse
{
    public required string Id { get; init; }

    /// <summary>URL of this status resource.</summary>
    public required string StatusUrl { get; init; }

    /// <summary>Durable runtime status: Pending, Running, Completed, Failed, Terminated or Suspended.</summary>
    public required string RuntimeStatus { get; init; }

    /// <summary>ScoreStudy stage from its custom status (for example WaitingForInstances, Inference), or null before the first.</summary>
    public string? Stage { get; init; }

    public ScoreProgressResponse? Progress { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? Trigger { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>The run's summary once it has completed, else null.</summary>
    public ScoreOutcomeResponse? Outcome { get; init; }

    /// <summary>Error message of an instance that failed outside the orchestration's own outcome handling.</summary>
    public string? Failure { get; init; }

    public static ScoreStatusResponse From(OrchestrationMetadata instance, string statusUrl)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ScoreStudyProgress? progress = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<ScoreStudyProgress>();
        ScoreStudyRequest? request = instance.SerializedInput is null ? null : instance.ReadInputAs<ScoreStudyRequest>();
        ScoreStudyOutcome? outcome = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed && instance.SerializedOutput is not null
            ? instance.ReadOutputAs<ScoreStudyOutcome>()
            : null;
        return new ScoreStatusResponse
        {
            Id = instance.InstanceId,
            StatusUrl = statusUrl,
            RuntimeStatus = instance.RuntimeStatus.ToString(),
            Stage = progress?.Stage.ToString(),
            Progress = progress is null ? null : new ScoreProgressResponse(progress.Done, progress.Total),
            StudyInstanceUid = request?.StudyInstanceUid,
            Trigger = request?.Trigger,
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
            Outcome = outcome is null ? null : ScoreOutcomeResponse.From(outcome),
            Failure = instance.FailureDetails?.ErrorMessage,
        };
    }

    /// <summary>True once the instance runs no more, so polling can stop.</summary>
    public static bool IsEnded(OrchestrationMetadata instance) => StudyScheduler.IsEnded(instance.RuntimeStatus);
}

/// <summary>Progress of the current stage, in slices or steps.</summary>
public sealed record ScoreProgressResponse(int Done, int Total);

/// <summary>The outcome summary of a completed run; the full report is the report.json blob.</summary>
public sealed record ScoreOutcomeResponse
{
    /// <summary>Scored, NoEligibleSeries or Failed.</summary>
    public required string Kind { get; init; }

    public string? ReasonCode { get; init; }
    public string? Message { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    public double? ExamProbability { get; init; }
    public string? OperatingPoint { get; init; }

    /// <summary>"positive" or "negative" at <see cref="OperatingPoint"/>, or null when not scored.</summary>
    public string? Decision { get; init; }

    public double? HemorrhageVolumeMl { get; init; }
    public string? SegmentationSopInstanceUid { get; init; }
    public string? ReportSrSopInstanceUid { get; init; }
    public string? ReportBlob { get; init; }

    public static ScoreOutcomeResponse From(ScoreStudyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new ScoreOutcomeResponse
        {
            Kind = outcome.Kind.ToString(),
            ReasonCode = outcome.ReasonCode,
            Message = outcome.Message,
            SeriesInstanceUid = outcome.SeriesInstanceUid,
            ModelName = outcome.ModelName,
            ModelVersion = outcome.ModelVersion,
            ExamProbability = outcome.ExamProbability,
            OperatingPoint = outcome.OperatingPoint,
            Decision = outcome.Positive switch { true => "positive", false => "negative", null => null },
            HemorrhageVolumeMl = outcome.HemorrhageVolumeMl,
            SegmentationSopInstanceUid = outcome.SegmentationSopInstanceUid,
            ReportSrSopInstanceUid = outcome.ReportSrSopInstanceUid,
            ReportBlob = outcome.ReportBlob,
        };
    }
}
