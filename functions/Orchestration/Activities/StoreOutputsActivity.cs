using Azure.Storage.Blobs;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Imaging.DicomWeb;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// Stores the prepared outputs. The SEG and SR go into their study with one STOW-RS request (or into the
/// results container for blob sources). Then the key images and, last, report.json go into the results
/// container, so a report is only ever found beside the outputs it names. Output UIDs are deterministic, so a rerun stores
/// nothing new.
/// </summary>
public sealed class StoreOutputsActivity(DicomWebClient dicomService, ScoringStorage storage, ModelRunnerProvider models, ILogger<StoreOutputsActivity> logger)
{
    [Function(ScoreStudyActivityNames.StoreOutputs)]
    public Task<StoreOutputsResult> RunAsync([ActivityTrigger] StoreOutputsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PermanentFailures.RunAsync(
            () => StoreAsync(input, cancellationToken), failure => new StoreOutputsResult { Failure = failure },
            models.IsRemote, logger, input.InstanceId, ScoreStudyActivityNames.StoreOutputs);
    }

    private async Task<StoreOutputsResult> StoreAsync(StoreOutputsInput input, CancellationToken cancellationToken)
    {
        var work = new WorkBlobs(storage.Work, input.InstanceId);
        string prefix = ResultBlobs.Prefix(input.Request, input.ModelName, input.ModelVersion);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        bool alreadyStored;
        string[] dicomOutputs = [AggregateExamActivity.SegmentationName, AggregateExamActivity.ReportSrName];
        if (input.Request.Blob is null)
        {
            var files = new List<DicomFile>(dicomOutputs.Length);
            foreach (string name in dicomOutputs)
            {
                await using Stream stream = await work.Output(name).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                files.Add(await DicomReader.ReadAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false));
            }

            StowResult stored = await dicomService.StoreAsync(files, input.Request.StudyInstanceUid, cancellationToken).ConfigureAwait(false);
            stored.EnsureAllStored(input.Request.StudyInstanceUid);
            alreadyStored = stored.Instances.All(instance => instance.Status == StowInstanceStatus.AlreadyStored);
            string statuses = string.Join(", ", stored.Instances.Select(instance => instance.Status));
            Logs.OutputsStored(logger, input.InstanceId, stored.Instances[0].SopInstanceUid, stored.Instances[1].SopInstanceUid, statuses);
        }
        else
        {
            await CopyAllAsync(work, prefix, dicomOutputs, cancellationToken).ConfigureAwait(false);
            alreadyStored = false;
        }

        await CopyAllAsync(work, prefix, input.Exam.KeyImages, cancellationToken).ConfigureAwait(false);

        string reportName = prefix + AggregateExamActivity.ReportName;
        await CopyAsync(work.Output(AggregateExamActivity.ReportName), storage.Results.GetBlobClient(reportName), cancellationToken).ConfigureAwait(false);
        return new StoreOutputsResult { ReportBlob = reportName, AlreadyStored = alreadyStored };
    }

    /// <summary>Copies the named outputs from the work container into the results folder <paramref name="prefix"/>, all at once.</summary>
    private Task CopyAllAsync(WorkBlobs work, string prefix, IEnumerable<string> names, CancellationToken cancellationToken) =>
        Task.WhenAll(names.Select(name => CopyAsync(work.Output(name), storage.Results.GetBlobClient(prefix + name), cancellationToken)));

    /// <summary>Copies a blob within the account by download and upload, which works with any credential the app has.</summary>
    private static async Task CopyAsync(BlobClient source, BlobClient destination, CancellationToken cancellationToken)
    {
        BinaryData content = (await source.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        await destination.UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
    }
}
