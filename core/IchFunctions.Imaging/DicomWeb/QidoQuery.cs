using System.Globalization;
using System.Text;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>The resource a QIDO-RS search runs against: studies, series or instances, optionally within a study or series.</summary>
public sealed class QidoTarget
{
    private QidoTarget(string path, string description)
    {
        Path = path;
        Description = description;
    }

    /// <summary>Path relative to the studies root, without a query string.</summary>
    public string Path { get; }

    /// <summary>What is searched, with UIDs only, for messages.</summary>
    public string Description { get; }

    public static QidoTarget Studies() => new("studies", "studies");

    /// <summary>Series of one study, or of all studies when <paramref name="studyInstanceUid"/> is null.</summary>
    public static QidoTarget Series(string? studyInstanceUid = null)
    {
        if (studyInstanceUid is null)
        {
            return new QidoTarget("series", "series");
        }

        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        return new QidoTarget($"studies/{studyInstanceUid}/series", $"series of study {studyInstanceUid}");
    }

    /// <summary>Instances of one series, of one study, or of all studies.</summary>
    public static QidoTarget Instances(string? studyInstanceUid = null, string? seriesInstanceUid = null)
    {
        if (studyInstanceUid is null)
        {
            if (seriesInstanceUid is not null)
            {
                throw new ArgumentException("A series UID for an instance search needs its study UID as well.", nameof(seriesInstanceUid));
            }

            return new QidoTarget("instances", "instances");
        }

        DicomUidSyntax.Require(studyInstanceUid, "Study Instance UID");
        if (seriesInstanceUid is null)
        {
            return new QidoTarget($"studies/{studyInstanceUid}/instances", $"instances of study {studyInstanceUid}");
        }

        DicomUidSyntax.Require(seriesInstanceUid, "Series Instance UID");
        return new QidoTarget(
            $"studies/{studyInstanceUid}/series/{seriesInstanceUid}/instances", $"instances of series {seriesInstanceUid} in study {studyInstanceUid}");
    }
}

/// <summary>
/// Query parameters of a QIDO-RS search: attribute matches (keyword or tag, for example <c>Modality=CT</c>),
/// include fields, and <c>limit</c>/<c>offset</c> paging.
/// </summary>
public sealed record QidoQuery
{
    public static QidoQuery All { get; } = new();

    public IReadOnlyList<KeyValuePair<string, string>> Matches { get; init; } = [];

    /// <summary>Attributes to return in addition to the server's defaults (keywords or 8-digit tags), or <c>all</c>.</summary>
    public IReadOnlyList<string> IncludeFields { get; init; } = [];

    /// <summary>Maximum number of results; null leaves it to the server (the Azure DICOM service returns at most 200).</summary>
    public int? Limit { get; init; }

    /// <summary>Number of results to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Returns a copy that also matches <paramref name="attribute"/> against <paramref name="value"/>.</summary>
    public QidoQuery Where(string attribute, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Matches = [.. Matches, new(attribute, value)] };
    }

    /// <summary>Returns a copy that also asks for <paramref name="fields"/>.</summary>
    public QidoQuery Include(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return this with { IncludeFields = [.. IncludeFields, .. fields] };
    }

    /// <summary>Builds the query string, starting with '?' when there is anything to send.</summary>
    public string ToQueryString()
    {
        if (Limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "A QIDO-RS limit must be at least 1.");
        }

        if (Offset is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "A QIDO-RS offset must not be negative.");
        }

        var parameters = new List<string>();
        parameters.AddRange(Matches.Select(match => $"{Uri.EscapeDataString(match.Key)}={Uri.EscapeDataString(match.Value)}"));
        parameters.AddRange(IncludeFields.Select(field => $"includefield={Uri.EscapeDataString(field)}"));
        if (Limit is int limit)
        {
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"limit={limit}"));
        }

        if (Offset is int offset)
        {
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"offset={offset}"));
        }

        return parameters.Count == 0 ? "" : new StringBuilder("?").AppendJoin('&', parameters).ToString();
    }
}
