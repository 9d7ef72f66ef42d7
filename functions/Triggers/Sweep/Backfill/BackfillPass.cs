using System.Globalization;
using IchFunctions.Dicom;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Scoring;
using IchFunctions.Imaging.DicomWeb;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Sweep.Backfill;

/// <summary>
/// One pass of a backfill: pages through QIDO-RS studies whose StudyDate lies in the range, from the
/// state's offset, and starts the CT studies not yet scored, with the sweep's concurrency limit and time
/// budget.
/// </summary>
public sealed class BackfillPass(
    DicomWebClient dicomWeb, SweepStore store, ModelRunnerProvider models, IOptions<SweepOptions> sweepOptions,
    IOptions<DicomServiceOptions> dicomOptions, ILogger<BackfillPass> logger)
{
    public const string TriggerName = "backfill";

    public async Task<BackfillPassResult> RunAsync(DurableTaskClient client, BackfillState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(state);
        DateTimeOffset deadline = store.Time.GetUtcNow() + store.Limits.RunBudget;
        await store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        string modelVersion = (await models.GetAsync(cancellationToken).ConfigureAwait(false)).Contract.ModelVersion;
        string? partition = string.IsNullOrEmpty(dicomOptions.Value.DataPartition) ? null : dicomOptions.Value.DataPartition;
        var modalities = new SeriesModalities(dicomWeb);
        var scheduler = new SweepScheduler(store.Slots);

        // NOTE: QIDO-RS offsets assume that the results keep their order between passes. A study stored in the
        // range meanwhile can shift them, so this backfill may miss a study, but it never scores one twice.
        string range = string.Create(CultureInfo.InvariantCulture, $"{state.From:yyyyMMdd}-{state.To:yyyyMMdd}");
        QidoQuery query = QidoQuery.All.Where("StudyDate", range).Include("00080061") with { Offset = state.Offset };
        int offset = state.Offset;
        int examined = 0;
        int started = 0;
        await foreach (DicomDataset study in dicomWeb.SearchAllAsync(QidoTarget.Studies(), query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (store.Time.GetUtcNow() >= deadline)
            {
                return Finish(state.Offset, offset, examined, started, done: false, waited: false);
            }

            string? studyUid = study.GetString(DicomTags.StudyInstanceUid);
            if (studyUid is not null && await modalities.HasCtAsync(studyUid, cancellationToken).ConfigureAwait(false))
            {
                (SweepDecision decision, string instanceId) = await scheduler.TryStartAsync(
                    client, new StudyCandidate(studyUid, partition, StoredAt: null), modelVersion, TriggerName,
                    sweepOptions.Value.MaxConcurrentOrchestrations, state.RerunFailed, deadline, cancellationToken).ConfigureAwait(false);
                SweepLogs.StudyDecided(logger, TriggerName, studyUid, instanceId, decision);
                if (decision == SweepDecision.NoSlot)
                {
                    return Finish(state.Offset, offset, examined, started, done: false, waited: true);
                }

                started += decision is SweepDecision.Started or SweepDecision.Restarted ? 1 : 0;
            }

            examined++;
            offset++;
        }

        return Finish(state.Offset, offset, examined, started, done: true, waited: false);
    }

    private BackfillPassResult Finish(int firstOffset, int nextOffset, int examined, int started, bool done, bool waited)
    {
        SweepLogs.BackfillPassEnded(logger, firstOffset, examined, started, nextOffset, done);
        return new BackfillPassResult(nextOffset, examined, started, done, waited);
    }
}
