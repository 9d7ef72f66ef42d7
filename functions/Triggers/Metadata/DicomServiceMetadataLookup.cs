using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using IchFunctions.Dicom;
using IchFunctions.Imaging.DicomWeb;

namespace IchFunctions.Functions.Triggers.Metadata;

/// <summary>
/// Looks up series metadata in the DICOM service with QIDO-RS
/// (<c>studies/{study}/series?SeriesInstanceUID={series}&amp;includefield=00080060</c>) through the app's
/// DICOMweb client, with its tokens and retries.
/// </summary>
public sealed class DicomServiceMetadataLookup(DicomWebClient client, SeriesModalityCache cache) : IDicomMetadataLookup
{
    private const string ModalityTag = "00080060";

    public async Task<string?> GetSeriesModalityAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken)
    {
        string key = studyInstanceUid + "|" + seriesInstanceUid;
        if (cache.TryGet(key, out string? cached))
        {
            return cached;
        }

        QidoQuery query = new QidoQuery().Where("SeriesInstanceUID", seriesInstanceUid).Include(ModalityTag);
        IReadOnlyList<DicomDataset> found = await client.SearchAsync(QidoTarget.Series(studyInstanceUid), query, cancellationToken).ConfigureAwait(false);
        string? modality = found.Select(series => series.GetString(DicomTags.Modality)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
        if (modality is not null)
        {
            cache.Add(key, modality);
        }

        return modality;
    }
}

/// <summary>
/// Modalities of series already looked up, kept for the life of the worker because a series raises one event
/// per instance and its modality does not change. Bounded: past the limit, lookups are not cached.
/// </summary>
public sealed class SeriesModalityCache
{
    private const int MaxSeries = 10_000;

    private readonly ConcurrentDictionary<string, string> _modalities = new(StringComparer.Ordinal);

    public bool TryGet(string key, [NotNullWhen(true)] out string? modality) => _modalities.TryGetValue(key, out modality);

    public void Add(string key, string modality)
    {
        if (_modalities.Count < MaxSeries)
        {
            _modalities[key] = modality;
        }
    }
}
