using Azure.Storage.Blobs;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Storage;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Studies;

/// <summary>The instance headers of a study, with a way to get each one's full header data set.</summary>
public sealed record StudyHeaders(IReadOnlyList<InstanceHeader> Instances, IReadOnlyList<SkippedFile> Skipped, Func<InstanceHeader, DicomDataset> ReadDataset);

/// <summary>
/// Opens the exam a <see cref="ScoreStudyRequest"/> names: a study on the DICOM service, a zip blob, or
/// one blob per instance under a prefix.
/// </summary>
public sealed class StudySources(DicomWebClient dicomService, BlobServiceClient blobs, ScoringStorage storage, IOptions<DicomServiceOptions> dicomOptions)
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };

    /// <summary>
    /// Opens an exam uploaded to blob storage for selection: the zip blob, downloaded to a temporary file, or
    /// the blobs under the prefix.
    /// </summary>
    public async Task<IInstanceSource> OpenBlobExamAsync(ScoreStudyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        BlobExamReference blob = request.Blob ?? throw new ArgumentException($"The request for study {request.StudyInstanceUid} has no blob source (Blob is missing).", nameof(request));
        BlobContainerClient container = blobs.GetBlobContainerClient(blob.Container);
        if (blob.BlobName is not { Length: > 0 } name)
        {
            return await BlobPrefixSource.OpenAsync(container, blob.Prefix ?? "", cancellationToken).ConfigureAwait(false);
        }

        // The zip reader needs a seekable stream; a temporary file deleted on close keeps large exams out of memory.
        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), $"ich-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await container.GetBlobClient(name).DownloadToAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return ZipSource.Open(file, $"zip blob {container.Name}/{name}");
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads the instances at <paramref name="locations"/>, which selection recorded, into memory, several at a
    /// time: WADO-RS from the DICOM service, or blobs. Selection copies a zip's selected entries into the work
    /// container, so their locations are work blob names and the zip is downloaded once per run.
    /// </summary>
    public async Task<IInstanceSource> RetrieveSelectedAsync(ScoreStudyRequest request, IReadOnlyList<string> locations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(locations);
        if (request.Blob is null)
        {
            return await new DicomWebSource(dicomService, request.StudyInstanceUid, locations)
                .RetrieveAllAsync(dicomOptions.Value.MaxConcurrentRetrievals, cancellationToken).ConfigureAwait(false);
        }

        BlobContainerClient container = request.Blob.BlobName is { Length: > 0 } ? storage.Work : blobs.GetBlobContainerClient(request.Blob.Container);
        return await BlobInstances.DownloadAllAsync(container, locations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the header of every instance of the exam: from the DICOM service's metadata (no pixel data is
    /// transferred), or from each blob's header for blob sources.
    /// </summary>
    public async Task<StudyHeaders> ReadHeadersAsync(ScoreStudyRequest request, IInstanceSource? blobSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Blob is not null)
        {
            ArgumentNullException.ThrowIfNull(blobSource);
            ScanResult scan = InstanceScanner.Scan(blobSource, cancellationToken: cancellationToken);
            return new StudyHeaders(scan.Instances, scan.Skipped, header =>
            {
                using Stream stream = blobSource.Open(header.Location);
                return DicomReader.Read(stream, HeaderOnly).Dataset;
            });
        }

        IReadOnlyList<DicomDataset> metadata;
        try
        {
            metadata = await dicomService.RetrieveStudyMetadataAsync(request.StudyInstanceUid, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomWebException error) when (error.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // An unknown study: the caller reports it as not found with the UID and partition to check.
            metadata = [];
        }

        var instances = new List<InstanceHeader>(metadata.Count);
        var skipped = new List<SkippedFile>();
        var datasets = new Dictionary<string, DicomDataset>(StringComparer.Ordinal);
        foreach (DicomDataset dataset in metadata)
        {
            string location = $"{dataset.GetString(DicomTags.SeriesInstanceUid)}/{dataset.GetString(DicomTags.SopInstanceUid)}";
            try
            {
                string transferSyntax = dataset.GetString(DicomTags.TransferSyntaxUid) ?? TransferSyntaxUids.ExplicitVRLittleEndian;
                InstanceHeader header = InstanceHeaderReader.Read(new DicomFile(new DicomDataset(), dataset, transferSyntax), location);
                instances.Add(header);
                datasets[header.SopInstanceUid] = dataset;
            }
            catch (DicomDataException error)
            {
                skipped.Add(new SkippedFile(location, error.Message));
            }
        }

        return new StudyHeaders(instances, skipped, header => datasets[header.SopInstanceUid]);
    }
}
