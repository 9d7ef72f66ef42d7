using IchFunctions.Dicom;
using IchFunctions.Imaging.DicomWeb;

namespace IchFunctions.Functions.Triggers.Sweep;

/// <summary>
/// Reads series modalities with QIDO-RS (<c>studies/{study}/series?includefield=00080060</c>), one request per
/// study, and keeps them for one pass. The modality comes from the stored metadata, so this app's own SEG
/// and SR series never count as CT.
/// </summary>
public sealed class SeriesModalities(DicomWebClient dicomWeb)
{
    public const string Ct = "CT";

    private readonly Dictionary<string, Dictionary<string, string>> _studies = new(StringComparer.Ordinal);

    /// <summary>Returns the modality of a series, or null when the service does not list the series (deleted since).</summary>
    public async Task<string?> GetAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken)
    {
        Dictionary<string, string> series = await GetStudyAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false);
        return series.GetValueOrDefault(seriesInstanceUid);
    }

    /// <summary>True when at least one series of the study has modality CT.</summary>
    public async Task<bool> HasCtAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        Dictionary<string, string> series = await GetStudyAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false);
        return series.Values.Contains(Ct, StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, string>> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        if (_studies.TryGetValue(studyInstanceUid, out Dictionary<string, string>? cached))
        {
            return cached;
        }

        var series = new Dictionary<string, string>(StringComparer.Ordinal);
        QidoQuery query = QidoQuery.All.Include("00080060");
        await foreach (DicomDataset dataset in dicomWeb.SearchAllAsync(QidoTarget.Series(studyInstanceUid), query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (dataset.GetString(DicomTags.SeriesInstanceUid) is { } seriesUid)
            {
                series[seriesUid] = dataset.GetString(DicomTags.Modality) ?? "";
            }
        }

        _studies[studyInstanceUid] = series;
        return series;
    }
}
