using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using IchFunctions.Functions.Options;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Metadata;

/// <summary>
/// Looks up series metadata with QIDO-RS
/// (<c>GET {base}[partitions/{p}/]studies/{study}/series?SeriesInstanceUID={series}&amp;includefield=00080060</c>).
/// Modalities are cached per series for the life of the worker, because a series sends one event per
/// instance and its modality cannot change.
/// </summary>
public sealed class QidoMetadataLookup(HttpClient client, IOptions<DicomServiceOptions> options) : IDicomMetadataLookup
{
    private const int MaxCachedSeries = 10_000;
    private const string ModalityTag = "00080060";

    private readonly ConcurrentDictionary<string, string> _modalities = new(StringComparer.Ordinal);

    public async Task<string?> GetSeriesModalityAsync(string? dataPartition, string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken)
    {
        string key = $"{dataPartition}|{studyInstanceUid}|{seriesInstanceUid}";
        if (_modalities.TryGetValue(key, out string? cached))
        {
            return cached;
        }

        Uri uri = SeriesQuery(dataPartition, studyInstanceUid, seriesInstanceUid);
        using HttpResponseMessage response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"QIDO-RS search for series {seriesInstanceUid} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}.",
                null, response.StatusCode);
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using JsonDocument document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        string? modality = ReadModality(document.RootElement);
        if (modality is not null && _modalities.Count < MaxCachedSeries)
        {
            _modalities[key] = modality;
        }

        return modality;
    }

    private Uri SeriesQuery(string? dataPartition, string study, string series)
    {
        Uri root = options.Value.BaseUrl ?? throw new InvalidOperationException("DicomService__BaseUrl is not set.");
        string baseText = root.AbsoluteUri.EndsWith('/') ? root.AbsoluteUri : root.AbsoluteUri + "/";
        string partition = dataPartition is null ? "" : $"partitions/{Uri.EscapeDataString(dataPartition)}/";
        return new Uri($"{baseText}{partition}studies/{Uri.EscapeDataString(study)}/series?SeriesInstanceUID={Uri.EscapeDataString(series)}&includefield={ModalityTag}");
    }

    private static string? ReadModality(JsonElement results)
    {
        if (results.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement series in results.EnumerateArray())
        {
            if (series.TryGetProperty(ModalityTag, out JsonElement attribute)
                && attribute.TryGetProperty("Value", out JsonElement values)
                && values.ValueKind == JsonValueKind.Array
                && values.GetArrayLength() > 0
                && values[0].ValueKind == JsonValueKind.String)
            {
                return values[0].GetString();
            }
        }

        return null;
    }
}
