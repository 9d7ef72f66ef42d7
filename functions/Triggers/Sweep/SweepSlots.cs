using Azure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>Outcome of a slot reservation.</summary>
public enum SlotReservation
{
    /// <summary>The slot is reserved; the caller schedules the instance.</summary>
    Reserved,

    /// <summary>All slots stayed taken until the deadline.</summary>
    Full,

    /// <summary>Another pass has reserved a slot for the same instance and schedules it.</summary>
    HeldByAnother,
}

/// <summary>
/// The ScoreStudy instances that sweeps and backfills started and that still run, kept in one blob that
/// every sweep, backfill pass and worker shares. A slot is reserved with an ETag-conditional write before
/// the instance is scheduled, so two passes cannot both take the last slot.
/// </summary>
public sealed class SweepSlots
{
    private const int MaxWriteAttempts = 8;

    private readonly ConditionalJsonBlob<SlotList> _blob;
    private readonly SweepLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal SweepSlots(ConditionalJsonBlob<SlotList> blob, SweepLimits limits, TimeProvider time, ILogger logger)
    {
        _blob = blob;
        _limits = limits;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Reserves a slot for <paramref name="instanceId"/>, waiting with doubling delays while all
    /// <paramref name="limit"/> slots are taken. Returns <see cref="SlotReservation.Full"/> when no slot came free
    /// before <paramref name="deadline"/>, and <see cref="SlotReservation.HeldByAnother"/> when another pass
    /// has already reserved a slot for the same instance, so that only one of two overlapping passes schedules it.
    /// </summary>
    public async Task<SlotReservation> ReserveAsync(DurableTaskClient client, string instanceId, int limit, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TimeSpan delay = _limits.FirstPollDelay;
        while (true)
        {
            SlotReservation reservation = await TryReserveAsync(client, instanceId, limit, cancellationToken).ConfigureAwait(false);
            if (reservation != SlotReservation.Full)
            {
                return reservation;
            }

            if (_time.GetUtcNow() + delay > deadline)
            {
                return SlotReservation.Full;
            }

            SweepLogs.WaitingForSlot(_logger, limit, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _limits.MaxPollDelay.Ticks));
        }
    }

    /// <summary>Counts the reserved slots whose instances still run (or were reserved moments ago).</summary>
    public async Task<int> CountRunningAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        (SlotList? list, _) = await _blob.ReadAsync(cancellationToken).ConfigureAwait(false);
        return list is null ? 0 : (await KeepRunningAsync(client, list.Slots, cancellationToken).ConfigureAwait(false)).Count;
    }

    private async Task<SlotReservation> TryReserveAsync(DurableTaskClient client, string instanceId, int limit, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            (SlotList? list, ETag? eTag) = await _blob.ReadAsync(cancellationToken).ConfigureAwait(false);
            List<Slot> running = await KeepRunningAsync(client, list?.Slots ?? [], cancellationToken).ConfigureAwait(false);
            if (running.Exists(slot => slot.InstanceId == instanceId))
            {
                return SlotReservation.HeldByAnother;
            }

            if (running.Count >= limit)
            {
                return SlotReservation.Full;
            }

            running.Add(new Slot(instanceId, _time.GetUtcNow()));
            if (await _blob.TryWriteAsync(new SlotList(running), eTag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return SlotReservation.Reserved;
            }
        }

        throw new InvalidOperationException(
            $"The sweep slot list {_blob.Name} changed {MaxWriteAttempts} times in a row while a slot was reserved; the pass stops and the next one retries.");
    }

    private async Task<List<Slot>> KeepRunningAsync(DurableTaskClient client, IReadOnlyList<Slot> slots, CancellationToken cancellationToken)
    {
        var running = new List<Slot>(slots.Count);
        foreach (Slot slot in slots)
        {
            OrchestrationMetadata? instance = await client.GetInstanceAsync(slot.InstanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            bool reservedRecently = _time.GetUtcNow() - slot.ReservedAt < _limits.ReservationGrace;
            bool runs = instance is null ? reservedRecently : !SweepRescoreRule.IsEnded(instance.RuntimeStatus);
            if (runs)
            {
                running.Add(slot);
            }
        }

        return running;
    }

    internal sealed record Slot(string InstanceId, DateTimeOffset ReservedAt);

    internal sealed record SlotList(IReadOnlyList<Slot> Slots);
}
