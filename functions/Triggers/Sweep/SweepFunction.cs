using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>
/// Timer trigger of the scheduled sweep. The schedule is the app setting <c>Sweep__Schedule</c> (NCRONTAB with
/// six fields), which the Functions host resolves from the binding expression.
/// </summary>
public sealed class SweepFunction(ChangeFeedSweep sweep)
{
    public const string Name = "ScheduledSweep";

    [Function(Name)]
    public async Task RunAsync(
        [TimerTrigger("%Sweep:Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await sweep.RunAsync(client, cancellationToken).ConfigureAwait(false);
    }
}
