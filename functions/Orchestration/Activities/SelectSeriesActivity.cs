using IchFunctions.Dicom;
using IchFunctions.Dicom.Json;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Functions.Studies;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AppScoringOptions = IchFunctions.Functions.Options.ScoringOptions;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// Reads every instance header of the study, applies the series-selection rules, and writes the selected
/// series' instances and headers to work blobs for the later activities.
/// </summary>
public sealed class SelectSeriesActivity(
    StudySources sources, ScoringStorage storage, ModelRunnerProvider models, IOptions<AppScoringOptions> scoring, ILogger<SelectSeriesActivity> logger)
{
    [Function(ScoreStudyActivityNames.SelectSeries)]
    public Task<SelectSeriesResult> RunAsync([ActivityTrigger] SelectSeriesInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PermanentFailures.RunAsync(
            () => SelectAsync(input, cancellationToken), failure => new SelectSeriesResult { Failure = failure },
            models.IsRemote, logger, input.InstanceId, ScoreStudyActivityNames.SelectSeries);
    }

    private async Task<SelectSeriesResult> SelectAsync(SelectSeriesInput input, CancellationToken cancellationToken)
    {
        ScoreStudyRequest request = input.Request;
        IModelRunner runner = await models.GetAsync(cancellationToken).ConfigureAwait(false);
        string operatingPoint = request.OperatingPoint ?? scoring.Value.OperatingPoint!;

        // Throws ModelContractException listing the contract's operating points when the name is unknown.
        runner.Contract.OperatingPoint(operatingPoint);

        using IInstanceSource? blobSource = request.Blob is null ? null : await sources.OpenBlobExamAsync(request, cancellationToken).ConfigureAwait(false);
        StudyHeaders study = await sources.ReadHeadersAsync(request, blobSource, cancellationToken).ConfigureAwait(false);
        if (study.Instances.Count == 0)
        {
            string where = request.Blob is null ? "on the DICOM service" : "in the blob source";
            return new SelectSeriesResult
            {
                Failure = new ActivityFailure(ReasonCodes.StudyNotFound,
                    $"Study {request.StudyInstanceUid} has no readable DICOM instances {where} ({study.Skipped.Count} files skipped); check the study UID and data partition."),
            };
        }

        IReadOnlyList<InstanceHeader> candidates = request.SeriesInstanceUid is null
            ? study.Instances
            : [.. study.Instances.Where(instance => instance.SeriesInstanceUid == request.SeriesInstanceUid)];
        if (candidates.Count == 0)
        {
            return new SelectSeriesResult
            {
                Failure = new ActivityFailure(ReasonCodes.StudyNotFound,
                    $"Series {request.SeriesInstanceUid} is not in study {request.StudyInstanceUid}, which has {study.Instances.Count} instances in other series; "
                    + "leave the series out to let selection choose one."),
            };
        }

        SelectionResult selection = SeriesSelector.Select(candidates);
        var result = new SelectSeriesResult
        {
            Series = selection.Series,
            OperatingPoint = operatingPoint,
            ChunkSlices = scoring.Value.ChunkSlices,
            ModelName = runner.Contract.ModelName,
            ModelVersion = runner.Contract.ModelVersion,
        };
        if (selection.SelectedGeometry is null || selection.SelectedInstances is null)
        {
            return result;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var work = new WorkBlobs(storage.Work, input.InstanceId);
        DicomDataset[] headers = selection.SelectedInstances.Select(study.ReadDataset).ToArray();
        IReadOnlyList<InstanceHeader> selected = request.Blob?.BlobName is { Length: > 0 }
            ? await StageZipEntriesAsync(work, blobSource!, selection.SelectedInstances, cancellationToken).ConfigureAwait(false)
            : selection.SelectedInstances;

        // Everything is serialised before the first upload starts, so a header that cannot be written leaves no upload running.
        BinaryData instancesJson = BinaryData.FromObjectAsJson(selected);
        BinaryData headersJson = BinaryData.FromString(DicomJsonWriter.Serialize(headers));
        BinaryData seriesJson = BinaryData.FromObjectAsJson(selection.Series);
        await Task.WhenAll(
            work.SelectedInstances.UploadAsync(instancesJson, overwrite: true, cancellationToken),
            work.SelectedHeaders.UploadAsync(headersJson, overwrite: true, cancellationToken),
            work.SeriesRecords.UploadAsync(seriesJson, overwrite: true, cancellationToken)).ConfigureAwait(false);

        return result with
        {
            SeriesInstanceUid = selection.Selected!.SeriesInstanceUid,
            SliceCount = selection.SelectedInstances.Count,
            Rows = selection.SelectedGeometry.Rows,
            Columns = selection.SelectedGeometry.Columns,
        };
    }

    /// <summary>
    /// Copies the selected entries of an uploaded zip into the work container, so that each preprocessing
    /// activity reads its own instances instead of downloading the whole zip again. Returns the headers with
    /// the copies' blob names as their locations. The zip reader is not thread-safe, so entries are read one by
    /// one, and each batch of them is uploaded at once.
    /// </summary>
    private static async Task<InstanceHeader[]> StageZipEntriesAsync(
        WorkBlobs work, IInstanceSource zip, IReadOnlyList<InstanceHeader> selected, CancellationToken cancellationToken)
    {
        var staged = new InstanceHeader[selected.Count];
        for (int start = 0; start < selected.Count; start += BlobInstances.MaxConcurrentTransfers)
        {
            // The whole batch is read before any upload starts, so an unreadable entry leaves no upload running.
            var batch = new List<(Azure.Storage.Blobs.BlobClient Blob, BinaryData Entry)>();
            for (int index = start; index < Math.Min(selected.Count, start + BlobInstances.MaxConcurrentTransfers); index++)
            {
                using Stream stream = zip.Open(selected[index].Location);
                Azure.Storage.Blobs.BlobClient blob = work.StagedInstance(index);
                batch.Add((blob, await BinaryData.FromStreamAsync(stream, cancellationToken).ConfigureAwait(false)));
                staged[index] = selected[index] with { Location = blob.Name };
            }

            await Task.WhenAll(batch.Select(item => item.Blob.UploadAsync(item.Entry, overwrite: true, cancellationToken))).ConfigureAwait(false);
        }

        return staged;
    }
}

