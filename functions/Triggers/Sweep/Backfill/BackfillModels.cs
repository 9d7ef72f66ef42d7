namespace IchFunctions.Functions.Triggers.Sweep.Backfill;

/// <summary>
/// Input and custom status of the SweepBackfill orchestration: the StudyDate range and how far the QIDO-RS
/// results have been worked through.
/// </summary>
public sealed record BackfillState
{
    /// <summary>First StudyDate of the range, inclusive.</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last StudyDate of the range, inclusive.</summary>
    public required DateOnly To { get; init; }

    /// <summary>True to rerun studies whose ScoreStudy instance failed or was terminated.</summary>
    public bool RerunFailed { get; init; }

    /// <summary>QIDO-RS offset of the first study not yet handled.</summary>
    public int Offset { get; init; }

    /// <summary>Studies examined so far.</summary>
    public int Examined { get; init; }

    /// <summary>ScoreStudy instances started so far.</summary>
    public int Started { get; init; }

    /// <summary>Passes run so far; each runs as one activity within the sweep's time budget.</summary>
    public int Passes { get; init; }

    /// <summary>True when every study of the range was handled.</summary>
    public bool Done { get; init; }
}

/// <summary>What one backfill pass did.</summary>
/// <param name="NextOffset">QIDO-RS offset of the first study the pass did not handle.</param>
/// <param name="Examined">Studies the pass examined.</param>
/// <param name="Started">ScoreStudy instances it started.</param>
/// <param name="Done">True when the results ended.</param>
/// <param name="WaitedForSlots">True when the pass stopped because all slots stayed taken.</param>
public sealed record BackfillPassResult(int NextOffset, int Examined, int Started, bool Done, bool WaitedForSlots);
