using IchFunctions.Functions.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Scheduling;

/// <summary>
/// Turns submissions into exactly one ScoreStudy instance per deterministic instance ID: the first
/// submission schedules it, later ones raise InstanceArrived to it while it runs, and ended instances are
/// replaced only as the submission's <see cref="RescoreRule"/> allows. Within one worker, submissions for
/// one instance ID take turns. Across workers, the task hub rejects a second instance with the same ID, and
/// the loser reads the instance again and raises its event instead.
/// </summary>
public sealed class StudyScheduler(ILogger<StudyScheduler> logger) : IDisposable
{
    private const int MaxAttempts = 3;
    private const int LockStripes = 64;

    // NOTE: the in-process test host accepts a second start of a running instance ID (and corrupts its
    // history), so without these locks concurrent submissions in one process were not safe there.
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<ScheduleDecision> SubmitAsync(DurableTaskClient client, StudySubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(submission);
        SemaphoreSlim gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(submission.InstanceId) % LockStripes)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SubmitLockedAsync(client, submission, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (SemaphoreSlim gate in _locks)
        {
            gate.Dispose();
        }
    }

    private async Task<ScheduleDecision> SubmitLockedAsync(DurableTaskClient client, StudySubmission submission, CancellationToken cancellationToken)
    {
        string instanceId = submission.InstanceId;
        for (int attempt = 1; ; attempt++)
        {
            OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            if (existing is not null && !IsEnded(existing.RuntimeStatus))
            {
                if (!submission.RaiseArrivalWhenRunning)
                {
                    return ScheduleDecision.AlreadyRunning;
                }

                await client.RaiseEventAsync(instanceId, ScoreStudyNames.InstanceArrivedEvent, submission.SopInstanceUid, cancellationToken).ConfigureAwait(false);
                return ScheduleDecision.EventRaised;
            }

            if (existing is not null && !ShouldRescore(existing, submission))
            {
                return ScheduleDecision.AlreadyEnded;
            }

            if (await TryScheduleAsync(client, submission, existing, cancellationToken).ConfigureAwait(false))
            {
                return existing is null ? ScheduleDecision.Started : ScheduleDecision.Restarted;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException(
                    $"ScoreStudy instance {instanceId} changed state {MaxAttempts} times while it was being scheduled; the message is retried.");
            }
        }
    }

    /// <summary>True for the runtime states in which an instance has ended and runs no more.</summary>
    public static bool IsEnded(OrchestrationRuntimeStatus status) => status
        is OrchestrationRuntimeStatus.Completed
        or OrchestrationRuntimeStatus.Failed
        or OrchestrationRuntimeStatus.Terminated
#pragma warning disable CS0618 // Canceled is obsolete but still reported by older backends.
        or OrchestrationRuntimeStatus.Canceled;
#pragma warning restore CS0618

    private static bool ShouldRescore(OrchestrationMetadata ended, StudySubmission submission) => submission.Rescore switch
    {
        RescoreRule.Always => true,
        RescoreRule.WhenStoredAfterRunEnded => submission.StoredAt is { } storedAt && storedAt > ended.LastUpdatedAt,
        _ => false,
    };

    /// <summary>
    /// Schedules the instance, first purging an ended one it replaces. Returns false when another trigger
    /// scheduled the same ID first, so that the caller reads its state again.
    /// </summary>
    private async Task<bool> TryScheduleAsync(DurableTaskClient client, StudySubmission submission, OrchestrationMetadata? replaced, CancellationToken cancellationToken)
    {
        string instanceId = submission.InstanceId;
        if (replaced is not null)
        {
            await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                ScoreStudyNames.Orchestration, submission.Request, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The client reports an existing instance with a backend-specific exception type, so the
            // instance is read again to tell a lost race from a real failure.
            OrchestrationMetadata? now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            bool lostRace = now is not null && (replaced is null || now.CreatedAt != replaced.CreatedAt);
            if (!lostRace)
            {
                throw;
            }

            TriggerLogs.ScheduleRaceLost(logger, instanceId, error);
            return false;
        }
    }
}
