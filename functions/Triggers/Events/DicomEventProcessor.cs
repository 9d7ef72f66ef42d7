using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Triggers.Metadata;
using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Events;

/// <summary>What became of one DicomImageCreated event.</summary>
public enum DicomEventOutcome
{
    /// <summary>The series is not CT (for example this app's own SEG or SR); nothing was started.</summary>
    NotCt,

    /// <summary>The DICOM service no longer has the series; nothing was started.</summary>
    SeriesNotFound,

    /// <summary>The instance is in a data partition other than the one the app serves; nothing was started.</summary>
    OtherPartition,

    /// <summary>Submitted to the study's ScoreStudy instance, with the decision recording what happened.</summary>
    Submitted,
}

/// <summary>
/// Handles one DicomImageCreated event: checks the series modality in the DICOM service's metadata, and
/// submits CT instances to their study's ScoreStudy instance with the quiet period from the settings.
/// </summary>
public sealed class DicomEventProcessor(
    IDicomMetadataLookup metadata,
    IModelVersionSource model,
    StudyScheduler scheduler,
    IOptions<ScoringOptions> scoring,
    IOptions<DicomServiceOptions> dicomService,
    ILogger<DicomEventProcessor> logger)
{
    /// <summary>Modality (0008,0060) of the only series that start work.</summary>
    public const string CtModality = "CT";

    /// <summary>Value of <see cref="ScoreStudyRequest.Trigger"/> for runs started by DICOM service events.</summary>
    public const string TriggerName = "event";

    public async Task<(DicomEventOutcome Outcome, ScheduleDecision? Decision)> ProcessAsync(
        DurableTaskClient client, DicomImageCreated imageCreated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(imageCreated);
        // The DICOM service client reads one partition, so events from the others cannot be checked or scored.
        string? servedPartition = string.IsNullOrEmpty(dicomService.Value.DataPartition) ? null : dicomService.Value.DataPartition;
        if (!string.Equals(imageCreated.DataPartition, servedPartition, StringComparison.Ordinal))
        {
            TriggerLogs.EventOtherPartition(logger, imageCreated.EventId, imageCreated.DataPartition ?? DicomEventParser.DefaultPartitionName,
                servedPartition ?? DicomEventParser.DefaultPartitionName);
            return (DicomEventOutcome.OtherPartition, null);
        }

        string? modality = await metadata.GetSeriesModalityAsync(
            imageCreated.StudyInstanceUid, imageCreated.SeriesInstanceUid, cancellationToken).ConfigureAwait(false);
        if (modality is null)
        {
            TriggerLogs.EventSeriesNotFound(logger, imageCreated.EventId, imageCreated.SeriesInstanceUid);
            return (DicomEventOutcome.SeriesNotFound, null);
        }

        if (!string.Equals(modality.Trim(), CtModality, StringComparison.OrdinalIgnoreCase))
        {
            TriggerLogs.EventNotCt(logger, imageCreated.EventId, imageCreated.SeriesInstanceUid, modality);
            return (DicomEventOutcome.NotCt, null);
        }

        string modelVersion = await model.GetModelVersionAsync(cancellationToken).ConfigureAwait(false);
        string instanceId = ScoreStudyNames.InstanceId(imageCreated.DataPartition, imageCreated.StudyInstanceUid, modelVersion);
        var submission = new StudySubmission
        {
            InstanceId = instanceId,
            Request = new ScoreStudyRequest
            {
                StudyInstanceUid = imageCreated.StudyInstanceUid,
                DataPartition = imageCreated.DataPartition,
                QuietPeriodSeconds = scoring.Value.QuietPeriodSeconds,
                Trigger = TriggerName,
            },
            RaiseArrivalWhenRunning = true,
            SopInstanceUid = imageCreated.SopInstanceUid,
            StoredAt = imageCreated.StoredAt,
            Rescore = RescoreRule.WhenStoredAfterRunEnded,
        };

        ScheduleDecision decision = await scheduler.SubmitAsync(client, submission, cancellationToken).ConfigureAwait(false);
        TriggerLogs.EventSubmitted(logger, imageCreated.EventId, imageCreated.SopInstanceUid, instanceId, decision);
        return (DicomEventOutcome.Submitted, decision);
    }
}
