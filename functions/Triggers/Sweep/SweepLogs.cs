using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>Log messages of the scheduled sweep and the backfill, with fixed event IDs. They carry UIDs and counts only.</summary>
internal static partial class SweepLogs
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Sweep starts after change feed sequence {Sequence} (timestamp {Timestamp:O}) for model version {ModelVersion}")]
    public static partial void SweepStarting(ILogger logger, long sequence, DateTimeOffset? timestamp, string modelVersion);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Sweep ended ({StopReason}): {Entries} entries read, {Started} studies started, {Skipped} skipped, checkpoint at sequence {Sequence}")]
    public static partial void SweepEnded(ILogger logger, SweepStopReason stopReason, int entries, int started, int skipped, long sequence);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "{Trigger}: study {StudyInstanceUid} as {InstanceId}: {Decision}")]
    public static partial void StudyDecided(ILogger logger, string trigger, string studyInstanceUid, string instanceId, SweepDecision decision);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "{Trigger}: series {SeriesInstanceUid} of study {StudyInstanceUid} has modality {Modality}, not CT; skipped")]
    public static partial void NotCt(ILogger logger, string trigger, string studyInstanceUid, string seriesInstanceUid, string modality);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Another sweep moved the checkpoint (ETag {ETag} no longer current); this run stops and leaves the rest to it")]
    public static partial void CheckpointConflict(ILogger logger, string eTag);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "All {Limit} sweep slots are taken; counting again in {DelayMs} ms")]
    public static partial void WaitingForSlot(ILogger logger, int limit, long delayMs);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "Change feed entry {Sequence} skipped: partition {Partition} is not the configured partition")]
    public static partial void OtherPartition(ILogger logger, long sequence, string partition);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Rejected POST /api/backfill: field {Field}: {Reason}")]
    public static partial void BackfillRejected(ILogger logger, string field, string reason);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Backfill {InstanceId} scheduled for study dates {From:yyyy-MM-dd} to {To:yyyy-MM-dd}")]
    public static partial void BackfillScheduled(ILogger logger, string instanceId, DateOnly from, DateOnly to);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Information, Message = "Backfill pass from offset {Offset}: {Examined} studies examined, {Started} started, next offset {NextOffset}, done {Done}")]
    public static partial void BackfillPassEnded(ILogger logger, int offset, int examined, int started, int nextOffset, bool done);
}
