using IchFunctions.Functions.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>A CT study a sweep or backfill found.</summary>
/// <param name="StudyInstanceUid">The study.</param>
/// <param name="DataPartition">DICOM service data partition, or null when partitions are not used.</param>
/// <param name="StoredAt">When the change feed records that an instance of the study was stored; null for backfill.</param>
public sealed record StudyCandidate(string StudyInstanceUid, string? DataPartition, DateTimeOffset? StoredAt);

/// <summary>
/// Starts the deterministic ScoreStudy instance of a study when <see cref="SweepRescoreRule"/> allows it and a
/// slot of <see cref="SweepSlots"/> is free.
/// </summary>
public sealed class SweepScheduler(SweepSlots slots)
{
    /// <param name="client">Durable Task client of the app's task hub.</param>
    /// <param name="candidate">The study to start.</param>
    /// <param name="modelVersion">Version of the model that scores studies now, part of the instance ID.</param>
    /// <param name="trigger">Trigger name stored in the request: <c>sweep</c> or <c>backfill</c>.</param>
    /// <param name="limit">Most instances sweeps and backfills keep running at once.</param>
    /// <param name="rerunFailed">True to rerun failed instances even without newer data.</param>
    /// <param name="deadline">When to give up waiting for a slot.</param>
    /// <param name="cancellationToken">Cancels the waits and requests.</param>
    public async Task<(SweepDecision Decision, string InstanceId)> TryStartAsync(
        DurableTaskClient client, StudyCandidate candidate, string modelVersion, string trigger, int limit, bool rerunFailed,
        DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(candidate);
        string instanceId = ScoreStudyNames.InstanceId(candidate.DataPartition, candidate.StudyInstanceUid, modelVersion);
        OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (SweepRescoreRule.Decide(existing, candidate.StoredAt, rerunFailed) is { } leaveAlone)
        {
            return (leaveAlone, instanceId);
        }

        SlotReservation reservation = await slots.ReserveAsync(client, instanceId, limit, deadline, cancellationToken).ConfigureAwait(false);
        if (reservation != SlotReservation.Reserved)
        {
            return (reservation == SlotReservation.Full ? SweepDecision.NoSlot : SweepDecision.AlreadyRunning, instanceId);
        }

        // NOTE: the slot list keeps two sweeps from both scheduling this ID, but an event or HTTP trigger can
        // still schedule it between the check above and the call below. Whether the second call then throws
        // or replaces the instance depends on the backend's overridable-instance-states setting.

        if (existing is not null)
        {
            await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken).ConfigureAwait(false);
        }

        var request = new ScoreStudyRequest
        {
            StudyInstanceUid = candidate.StudyInstanceUid,
            DataPartition = candidate.DataPartition,
            Trigger = trigger,
        };
        await client.ScheduleNewOrchestrationInstanceAsync(
            ScoreStudyNames.Orchestration, request, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        return (existing is null ? SweepDecision.Started : SweepDecision.Restarted, instanceId);
    }
}
