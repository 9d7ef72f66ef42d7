using System.Text.RegularExpressions;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>
/// The root of a DICOMweb API and, for the Azure DICOM service with data partitions enabled, the partition.
/// With a partition, the studies resources (QIDO-RS, WADO-RS, STOW-RS) live under
/// <c>{base}/partitions/{name}/</c>, and the change feed stays at the base URL.
/// </summary>
public sealed partial class DicomWebEndpoint
{
    /// <summary>Creates an endpoint; throws <see cref="ArgumentException"/> for a relative URL or an invalid partition name.</summary>
    public DicomWebEndpoint(Uri baseUrl, string? dataPartition = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"DICOMweb base URL '{baseUrl}' is not an absolute http or https URL.", nameof(baseUrl));
        }

        if (!string.IsNullOrEmpty(dataPartition) && !PartitionNamePattern().IsMatch(dataPartition))
        {
            throw new ArgumentException(
                $"Data partition '{dataPartition}' is not a valid partition name: use 1 to 64 letters, digits, '.', '-' or '_', "
                + "or no partition when the DICOM service has data partitions disabled.", nameof(dataPartition));
        }

        BaseUrl = DicomWebPaths.WithTrailingSlash(baseUrl);
        DataPartition = string.IsNullOrEmpty(dataPartition) ? null : dataPartition;
        StudiesRoot = DataPartition is null ? BaseUrl : new Uri(BaseUrl, $"partitions/{DataPartition}/");
    }

    /// <summary>Base URL, ending in a slash; for the Azure DICOM service it includes the API version (<c>/v2/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Data partition name, or null when the server has no partitions.</summary>
    public string? DataPartition { get; }

    /// <summary>Root of the studies resources: the base URL, or the partition's route under it.</summary>
    public Uri StudiesRoot { get; }

    /// <summary>Resolves a studies resource path (for example <c>studies/1.2/series</c>) under <see cref="StudiesRoot"/>.</summary>
    public Uri Studies(string relativePath) => new(StudiesRoot, relativePath);

    /// <summary>Resolves a path at the base URL, where the change feed lives whether or not a partition is set.</summary>
    public Uri Service(string relativePath) => new(BaseUrl, relativePath);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionNamePattern();
}
