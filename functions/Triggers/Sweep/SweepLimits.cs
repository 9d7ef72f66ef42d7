namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>
/// Time limits of one sweep or backfill pass. A pass stops at <see cref="RunBudget"/> and the next one
/// continues from the stored position, so a run stays inside the Functions host's function timeout
/// (5 minutes by default on the Consumption plan, 30 on Flex Consumption).
/// </summary>
public sealed record SweepLimits
{
    /// <summary>Longest a pass reads, checks and starts studies before it stops and leaves the rest to the next pass.</summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>First wait before the running instances are counted again while all slots are taken; doubled each time.</summary>
    public TimeSpan FirstPollDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two counts of the running instances.</summary>
    public TimeSpan MaxPollDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a reserved slot counts without its instance existing: it covers the moment between
    /// reserving a slot and scheduling the instance, and frees slots whose scheduling failed.
    /// </summary>
    public TimeSpan ReservationGrace { get; init; } = TimeSpan.FromMinutes(2);
}
