using IchFunctions.Functions.Orchestration;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions;

/// <summary>
/// Log messages of the Functions app with fixed event IDs. They carry instance IDs, UIDs, counts and
/// durations only, never patient attributes.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: quiet period of {QuietPeriodSeconds} s ended after {Arrived} more instances")]
    public static partial void QuietPeriodEnded(ILogger logger, string instanceId, int arrived, int quietPeriodSeconds);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: selected series {SeriesInstanceUid} with {SliceCount} slices")]
    public static partial void SeriesSelected(ILogger logger, string instanceId, string seriesInstanceUid, int sliceCount);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: exam probability {ExamProbability:0.000}, positive {Positive}, outputs already stored {AlreadyStored}")]
    public static partial void ExamScored(ILogger logger, string instanceId, double examProbability, bool positive, bool alreadyStored);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId} ended: {Kind} {ReasonCode}")]
    public static partial void OrchestrationEnded(ILogger logger, string instanceId, ScoreStudyOutcomeKind kind, string reasonCode);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "ScoreStudy {InstanceId}: work blobs were not deleted after retries: {Error}")]
    public static partial void WorkNotDeleted(ILogger logger, string instanceId, string error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "ScoreStudy {InstanceId}: activity {Activity} failed permanently with {ReasonCode}: {Error}")]
    public static partial void ActivityFailedPermanently(ILogger logger, string instanceId, string activity, string reasonCode, string error);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: chunk {Chunk} ({SliceCount} slices) decoded in {ElapsedMs} ms")]
    public static partial void ChunkDecoded(ILogger logger, string instanceId, int chunk, int sliceCount, long elapsedMs);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: chunk {Chunk} ({SliceCount} slices) scored in {InferenceMs} ms of inference, {ElapsedMs} ms in all")]
    public static partial void ChunkScored(ILogger logger, string instanceId, int chunk, int sliceCount, long inferenceMs, long elapsedMs);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: stored SEG {SegmentationUid} and SR {ReportUid} ({Status})")]
    public static partial void OutputsStored(ILogger logger, string instanceId, string segmentationUid, string reportUid, string status);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: alert published to queue {Queue}, webhook {Webhook}")]
    public static partial void AlertPublished(ILogger logger, string instanceId, string queue, bool webhook);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "ScoreStudy {InstanceId}: deleted {Count} work blobs")]
    public static partial void WorkDeleted(ILogger logger, string instanceId, int count);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Model runner ready: {Description}, model {ModelName} {ModelVersion}")]
    public static partial void ModelRunnerReady(ILogger logger, string description, string modelName, string modelVersion);
}
