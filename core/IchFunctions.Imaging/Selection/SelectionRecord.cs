using System.Text.Json.Serialization;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Selection;

/// <summary>The decision about one series.</summary>
public enum SeriesDecision
{
    /// <summary>The series that will be scored.</summary>
    Selected,

    /// <summary>Could be scored, but another series ranked higher.</summary>
    Eligible,

    /// <summary>Cannot be scored; the reason gives the cause.</summary>
    Rejected,
}

/// <summary>
/// What selection decided about one series and why. Users see it in reports, so it holds only UIDs, counts,
/// acquisition attributes and descriptions, never patient names or IDs.
/// </summary>
public sealed record SeriesRecord
{
    public required string SeriesInstanceUid { get; init; }

    public int? SeriesNumber { get; init; }

    public string? SeriesDescription { get; init; }

    public string? Modality { get; init; }

    public required string SopClass { get; init; }

    public int InstanceCount { get; init; }

    public double? SliceThicknessMm { get; init; }

    public string? ConvolutionKernel { get; init; }

    public SeriesDecision Decision { get; init; }

    /// <summary>Why the series was selected, passed over or rejected.</summary>
    public required string Reason { get; init; }

    /// <summary>Caveats that did not reject the series: contrast, head assumed from geometry, geometry findings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The outcome of series selection over one set of instances.</summary>
public sealed record SelectionResult
{
    /// <summary>One record per series, the selected one first, then eligible ones by rank, then rejected ones.</summary>
    public required IReadOnlyList<SeriesRecord> Series { get; init; }

    /// <summary>The selected series' instances ordered anatomically; null when no series is eligible.</summary>
    [JsonIgnore]
    public IReadOnlyList<InstanceHeader>? SelectedInstances { get; init; }

    /// <summary>The selected series' geometry; null when no series is eligible.</summary>
    [JsonIgnore]
    public SeriesGeometry? SelectedGeometry { get; init; }

    public SeriesRecord? Selected => Series.Count > 0 && Series[0].Decision == SeriesDecision.Selected ? Series[0] : null;
}
