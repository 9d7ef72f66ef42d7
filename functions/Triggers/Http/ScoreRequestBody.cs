namespace IchFunctions.Functions.Triggers.Http;

/// <summary>Body of <c>POST /api/score</c>, after validation.</summary>
public sealed record ScoreRequestBody
{
    public required string StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public string? DataPartition { get; init; }

    public string? OperatingPoint { get; init; }

    /// <summary>True to score again a study whose run has ended.</summary>
    public bool Force { get; init; }
}

/// <summary>A request body that failed validation: the JSON field at fault (or <c>body</c>) and why.</summary>
public sealed class InvalidRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;

    public InvalidRequestException()
        : this("body", "The request is invalid.")
    {
    }

    public InvalidRequestException(string message)
        : this("body", message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : this("body", message)
    {
        ArgumentNullException.ThrowIfNull(innerException);
    }
}
