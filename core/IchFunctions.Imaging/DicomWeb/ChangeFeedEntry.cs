using IchFunctions.Dicom;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>What happened to an instance, as the DICOM service change feed reports it (<c>Action</c>).</summary>
public enum ChangeFeedAction
{
    Create,
    Update,
    Delete,
}

/// <summary>The instance's state now, which may differ from what the action left (<c>State</c>).</summary>
public enum ChangeFeedState
{
    /// <summary>The instance exists in this version.</summary>
    Current,

    /// <summary>A later version replaced this one.</summary>
    Replaced,

    /// <summary>The instance was deleted and cannot be retrieved.</summary>
    Deleted,
}

/// <summary>One event of the Azure DICOM service change feed.</summary>
/// <param name="Sequence">Unique, increasing id of the event.</param>
/// <param name="Action">What was done to the instance.</param>
/// <param name="State">The instance's state now.</param>
/// <param name="Timestamp">When the action was performed (UTC).</param>
/// <param name="StudyInstanceUid">Study of the instance.</param>
/// <param name="SeriesInstanceUid">Series of the instance.</param>
/// <param name="SopInstanceUid">The instance.</param>
public sealed record ChangeFeedEntry(
    long Sequence,
    ChangeFeedAction Action,
    ChangeFeedState State,
    DateTimeOffset Timestamp,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid)
{
    /// <summary>Data partition of the instance, when the service reports one (only with data partitions enabled).</summary>
    public string? PartitionName { get; init; }

    /// <summary>The instance's current DICOM metadata, when requested with includeMetadata and the instance still exists.</summary>
    public DicomDataset? Metadata { get; init; }
}

/// <summary>
/// One page request of the v2 change feed: events with <c>StartTime &lt;= Timestamp &lt; EndTime</c>, skipping
/// <see cref="Offset"/> events of that window and returning at most <see cref="Limit"/>.
/// </summary>
public sealed record ChangeFeedQuery
{
    /// <summary>Largest page the v2 change feed returns.</summary>
    public const int MaxLimit = 200;

    /// <summary>Page size the v2 change feed uses when no limit is sent.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Inclusive start of the window; null starts at the first event.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Exclusive end of the window; null reads up to the newest event.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Events of the window to skip (not a sequence number: v2 counts events from the window's start).</summary>
    public long Offset { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Whether each entry carries the instance's DICOM metadata. Off by default: the feed is used for UIDs.</summary>
    public bool IncludeMetadata { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the value when a parameter is outside what the service accepts.</summary>
    public void Validate()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"The change feed limit must be between 1 and {MaxLimit}.");
        }

        if (Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "The change feed offset must not be negative.");
        }

        if (StartTime is { } start && EndTime is { } end && end <= start)
        {
            throw new ArgumentOutOfRangeException(
                nameof(EndTime), end, $"The change feed window must end after it starts ({start:O}); the end time is exclusive.");
        }
    }
}
