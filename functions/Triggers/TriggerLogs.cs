using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers;

/// <summary>Log messages of the triggers, with fixed event IDs. They carry UIDs and counts, never patient data.</summary>
internal static partial class TriggerLogs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Moved message {MessageId} of queue {Queue} to {PoisonQueue} as message {PoisonMessageId}: {Reason}")]
    public static partial void MessagePoisoned(ILogger logger, string queue, string messageId, string poisonQueue, string poisonMessageId, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Ignored event of type {EventType} in message {MessageId}: only DicomImageCreated starts work")]
    public static partial void EventTypeIgnored(ILogger logger, string messageId, string eventType);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Event {EventId}: series {SeriesInstanceUid} has modality {Modality}, not CT; nothing started")]
    public static partial void EventNotCt(ILogger logger, string eventId, string seriesInstanceUid, string modality);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Event {EventId}: series {SeriesInstanceUid} was not found in the DICOM service (deleted since?); nothing started")]
    public static partial void EventSeriesNotFound(ILogger logger, string eventId, string seriesInstanceUid);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Event {EventId}: instance {SopInstanceUid} submitted to {InstanceId}: {Decision}")]
    public static partial void EventSubmitted(ILogger logger, string eventId, string sopInstanceUid, string instanceId, ScheduleDecision decision);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Another trigger scheduled {InstanceId} first; reading its state again")]
    public static partial void ScheduleRaceLost(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Rejected POST /api/score: field {Field}: {Reason}")]
    public static partial void HttpRequestRejected(ILogger logger, string field, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "POST /api/score submitted {InstanceId}: {Decision}")]
    public static partial void HttpSubmitted(ILogger logger, string instanceId, ScheduleDecision decision);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Event {EventId}: instance is in data partition {Partition}, but the app serves {ServedPartition}; nothing started")]
    public static partial void EventOtherPartition(ILogger logger, string eventId, string partition, string servedPartition);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Rejected upload {Container}/{Blob}; reason written to {ResultsContainer}: {Reason}")]
    public static partial void UploadRejected(ILogger logger, string container, string blob, string resultsContainer, string reason);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "Upload {Blob} submitted to {InstanceId}: {Decision}")]
    public static partial void UploadSubmitted(ILogger logger, string blob, string instanceId, ScheduleDecision decision);
}
