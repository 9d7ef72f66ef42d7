using System.Net;
using System.Runtime.CompilerServices;
using IchFunctions.Dicom;

namespace IchFunctions.Imaging.DicomWeb;

public sealed partial class DicomWebClient
{
    /// <summary>Page size of <see cref="SearchAllAsync"/>: the most the Azure DICOM service returns per QIDO-RS request.</summary>
    public const int MaxQidoPageSize = 200;

    /// <summary>Runs one QIDO-RS search (one page when the query sets a limit); no match is an empty list.</summary>
    public async Task<IReadOnlyList<DicomDataset>> SearchAsync(QidoTarget target, QidoQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        query ??= QidoQuery.All;
        string operation = $"QIDO-RS for {target.Description}";
        Uri uri = Endpoint.Studies(target.Path + query.ToQueryString());
        using HttpResponseMessage response = await GetAsync(uri, DicomJson, operation, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NoContent
            ? []
            : await ReadDatasetsAsync(response, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a QIDO-RS search page by page with limit and offset, starting at the query's offset, until a page
    /// comes back with fewer than <paramref name="pageSize"/> results.
    /// </summary>
    public async IAsyncEnumerable<DicomDataset> SearchAllAsync(
        QidoTarget target, QidoQuery? query = null, int pageSize = MaxQidoPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        query ??= QidoQuery.All;
        int offset = query.Offset ?? 0;
        while (true)
        {
            IReadOnlyList<DicomDataset> page = await SearchAsync(target, query with { Limit = pageSize, Offset = offset }, cancellationToken).ConfigureAwait(false);
            foreach (DicomDataset dataset in page)
            {
                yield return dataset;
            }

            // A short page ends the results; a longer one means the server ignored the limit and sent them all.
            if (page.Count != pageSize)
            {
                yield break;
            }

            offset += page.Count;
        }
    }
}
