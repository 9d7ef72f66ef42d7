namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>
/// Position of the sweep in the DICOM service change feed: the last entry whose study was started or
/// deliberately skipped. The v2 change feed pages by time window and offset, so the next run reads from
/// <see cref="Timestamp"/> (inclusive) and skips entries up to <see cref="Sequence"/>.
/// </summary>
public sealed record SweepCheckpoint(long Sequence, DateTimeOffset Timestamp);
