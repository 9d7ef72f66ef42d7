using Azure;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Scoring;
using IchFunctions.Imaging.DicomWeb;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>Why a sweep run ended.</summary>
public enum SweepStopReason
{
    /// <summary>Every change feed entry was handled.</summary>
    FeedEnd,

    /// <summary>The run's time budget ran out; the next run continues from the checkpoint.</summary>
    TimeBudget,

    /// <summary>All slots stayed taken until the time budget ran out; the next run continues from the checkpoint.</summary>
    NoSlot,

    /// <summary>Another sweep moved the checkpoint, so this one stopped to leave the rest to it.</summary>
    CheckpointConflict,
}

/// <summary>What one sweep run did.</summary>
public sealed record SweepRunResult(SweepStopReason StopReason, int Entries, int Started, int Skipped, SweepCheckpoint? Checkpoint);

/// <summary>
/// One run of the scheduled sweep: reads the change feed after the checkpoint, starts ScoreStudy for CT
/// studies not yet scored by the current model with at most <see cref="SweepOptions.MaxConcurrentOrchestrations"/>
/// running, and moves the checkpoint past each entry whose study was started or deliberately skipped.
/// </summary>
public sealed class ChangeFeedSweep(
    DicomWebClient dicomWeb, SweepStore store, ModelRunnerProvider models, IOptions<SweepOptions> sweepOptions,
    IOptions<DicomServiceOptions> dicomOptions, ILogger<ChangeFeedSweep> logger)
{
    public const string TriggerName = "sweep";

    private readonly DicomWebClient _dicomWeb = dicomWeb;
    private readonly SweepStore _store = store;
    private readonly int _limit = sweepOptions.Value.MaxConcurrentOrchestrations;
    private readonly string? _partition = string.IsNullOrEmpty(dicomOptions.Value.DataPartition) ? null : dicomOptions.Value.DataPartition;
    private readonly ILogger _logger = logger;

    public async Task<SweepRunResult> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        DateTimeOffset deadline = _store.Time.GetUtcNow() + _store.Limits.RunBudget;
        await _store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        string modelVersion = (await models.GetAsync(cancellationToken).ConfigureAwait(false)).Contract.ModelVersion;
        ConditionalJsonBlob<SweepCheckpoint> checkpointBlob = _store.Checkpoint;
        (SweepCheckpoint? checkpoint, ETag? eTag) = await checkpointBlob.ReadAsync(cancellationToken).ConfigureAwait(false);
        SweepLogs.SweepStarting(_logger, checkpoint?.Sequence ?? 0, checkpoint?.Timestamp, modelVersion);

        var run = new Run(this, client, modelVersion, deadline, checkpoint, eTag);
        SweepStopReason reason = await run.ProcessAsync(cancellationToken).ConfigureAwait(false);
        SweepLogs.SweepEnded(_logger, reason, run.Entries, run.Started, run.Skipped, run.Saved?.Sequence ?? 0);
        return new SweepRunResult(reason, run.Entries, run.Started, run.Skipped, run.Saved);
    }

    /// <summary>State of one run: the position handled so far and the position last saved.</summary>
    private sealed class Run(ChangeFeedSweep sweep, DurableTaskClient client, string modelVersion, DateTimeOffset deadline, SweepCheckpoint? saved, ETag? eTag)
    {
        private readonly HashSet<string> _handledStudies = new(StringComparer.Ordinal);
        private readonly SeriesModalities _modalities = new(sweep._dicomWeb);
        private readonly SweepScheduler _scheduler = new(sweep._store.Slots);
        private SweepCheckpoint? _handled = saved;
        private ETag? _eTag = eTag;

        public SweepCheckpoint? Saved { get; private set; } = saved;

        public int Entries { get; private set; }

        public int Started { get; private set; }

        public int Skipped { get; private set; }

        public async Task<SweepStopReason> ProcessAsync(CancellationToken cancellationToken)
        {
            long after = Saved?.Sequence ?? 0;
            await foreach (ChangeFeedEntry entry in sweep._dicomWeb.ReadChangeFeedAsync(
                Saved?.Timestamp, endTime: null, ChangeFeedQuery.MaxLimit, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entry.Sequence <= after)
                {
                    continue;
                }

                if (sweep._store.Time.GetUtcNow() >= deadline)
                {
                    return await FinishAsync(SweepStopReason.TimeBudget, cancellationToken).ConfigureAwait(false);
                }

                Entries++;
                SweepDecision? decision = await HandleAsync(entry, cancellationToken).ConfigureAwait(false);
                if (decision == SweepDecision.NoSlot)
                {
                    return await FinishAsync(SweepStopReason.NoSlot, cancellationToken).ConfigureAwait(false);
                }

                _handled = new SweepCheckpoint(entry.Sequence, entry.Timestamp);
                if (decision is SweepDecision.Started or SweepDecision.Restarted)
                {
                    Started++;
                    if (!await SaveAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return SweepStopReason.CheckpointConflict;
                    }
                }
                else
                {
                    Skipped++;
                }
            }

            return await FinishAsync(SweepStopReason.FeedEnd, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Handles one entry; returns the scheduling decision, or null when the entry was skipped before scheduling.</summary>
        private async Task<SweepDecision?> HandleAsync(ChangeFeedEntry entry, CancellationToken cancellationToken)
        {
            if (entry.Action != ChangeFeedAction.Create || entry.State != ChangeFeedState.Current)
            {
                return null;
            }

            string? partition = sweep._partition;
            if (entry.PartitionName is { } entryPartition && !string.Equals(entryPartition, partition ?? "Microsoft.Default", StringComparison.Ordinal))
            {
                SweepLogs.OtherPartition(sweep._logger, entry.Sequence, entryPartition);
                return null;
            }

            if (_handledStudies.Contains(entry.StudyInstanceUid))
            {
                return null;
            }

            string? modality = await _modalities.GetAsync(entry.StudyInstanceUid, entry.SeriesInstanceUid, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(modality, SeriesModalities.Ct, StringComparison.Ordinal))
            {
                SweepLogs.NotCt(sweep._logger, TriggerName, entry.StudyInstanceUid, entry.SeriesInstanceUid, modality ?? "(series not found)");
                return null;
            }

            var candidate = new StudyCandidate(entry.StudyInstanceUid, partition, entry.Timestamp);
            (SweepDecision decision, string instanceId) = await _scheduler.TryStartAsync(
                client, candidate, modelVersion, TriggerName, sweep._limit, rerunFailed: false,
                deadline, cancellationToken).ConfigureAwait(false);
            SweepLogs.StudyDecided(sweep._logger, TriggerName, entry.StudyInstanceUid, instanceId, decision);
            if (decision != SweepDecision.NoSlot)
            {
                _handledStudies.Add(entry.StudyInstanceUid);
            }

            return decision;
        }

        private async Task<SweepStopReason> FinishAsync(SweepStopReason reason, CancellationToken cancellationToken) =>
            await SaveAsync(cancellationToken).ConfigureAwait(false) ? reason : SweepStopReason.CheckpointConflict;

        /// <summary>Saves the handled position if it moved; false when another sweep changed the checkpoint first.</summary>
        private async Task<bool> SaveAsync(CancellationToken cancellationToken)
        {
            if (_handled is null || _handled == Saved)
            {
                return true;
            }

            ETag? written = await sweep._store.Checkpoint.TryWriteAsync(_handled, _eTag, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                SweepLogs.CheckpointConflict(sweep._logger, _eTag?.ToString() ?? "(none: blob created by another sweep)");
                return false;
            }

            _eTag = written;
            Saved = _handled;
            return true;
        }
    }
}
