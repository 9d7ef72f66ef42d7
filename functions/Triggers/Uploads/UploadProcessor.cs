using Azure.Storage.Blobs;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Triggers.Scheduling;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Uploads;

/// <summary>
/// Turns an uploaded blob into ScoreStudy work. A <c>.zip</c> is one exam and starts its own run. Any other
/// blob is one DICOM instance: it is copied into the work container under its study's instance and the
/// study is scored after the quiet period, as with DICOM service events. Rejected uploads get a
/// <c>{name}.rejected.json</c> in the results container.
/// </summary>
public sealed class UploadProcessor(
    BlobServiceClient blobs,
    IModelVersionSource model,
    StudyScheduler scheduler,
    UploadRejectionWriter rejections,
    IOptions<StorageOptions> storage,
    IOptions<ScoringOptions> scoring,
    ILogger<UploadProcessor> logger)
{
    /// <summary>Value of <see cref="ScoreStudyRequest.Trigger"/> for runs started by uploads.</summary>
    public const string TriggerName = "upload";

    /// <summary>Folder under the instance's work prefix that contains the staged instances of a file-by-file upload.</summary>
    public const string StagedFolder = "instances/";

    /// <summary>Limits a zip must pass before it is scored.</summary>
    public ZipLimits ZipLimits { get; init; } = ZipLimits.Default;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Handles one upload; returns the instance it was submitted to, or null when it was rejected.</summary>
    public async Task<string?> ProcessAsync(DurableTaskClient client, Stream content, string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        try
        {
            return blobName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                ? await SubmitZipAsync(client, content, blobName, cancellationToken).ConfigureAwait(false)
                : await SubmitInstanceAsync(client, content, blobName, cancellationToken).ConfigureAwait(false);
        }
        catch (UploadRejectedException rejected)
        {
            StorageOptions containers = storage.Value;
            await rejections.WriteAsync(blobs.GetBlobContainerClient(containers.ResultsContainer), containers.IncomingContainer, blobName,
                rejected.Message, Clock, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task<string> SubmitZipAsync(DurableTaskClient client, Stream content, string blobName, CancellationToken cancellationToken)
    {
        string study;
        Stream seekable = content.CanSeek ? content : await CopyToTemporaryFileAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            study = UploadedExam.ReadZipStudy(seekable, blobName, ZipLimits);
        }
        finally
        {
            if (!ReferenceEquals(seekable, content))
            {
                await seekable.DisposeAsync().ConfigureAwait(false);
            }
        }

        string incoming = storage.Value.IncomingContainer;
        string modelVersion = await model.GetModelVersionAsync(cancellationToken).ConfigureAwait(false);
        string instanceId = ScoreStudyNames.InstanceId($"upload:{incoming}/{blobName}", study, modelVersion);
        var submission = new StudySubmission
        {
            InstanceId = instanceId,
            Request = new ScoreStudyRequest
            {
                StudyInstanceUid = study,
                Blob = new BlobExamReference { Container = incoming, BlobName = blobName },
                Trigger = TriggerName,
            },
            Rescore = RescoreRule.Always,
        };
        ScheduleDecision decision = await scheduler.SubmitAsync(client, submission, cancellationToken).ConfigureAwait(false);
        TriggerLogs.UploadSubmitted(logger, blobName, instanceId, decision);
        return instanceId;
    }

    private async Task<string> SubmitInstanceAsync(DurableTaskClient client, Stream content, string blobName, CancellationToken cancellationToken)
    {
        InstanceHeader header = UploadedExam.ReadInstance(content, blobName);
        StorageOptions containers = storage.Value;
        string modelVersion = await model.GetModelVersionAsync(cancellationToken).ConfigureAwait(false);
        string instanceId = ScoreStudyNames.InstanceId($"upload:{containers.IncomingContainer}", header.StudyInstanceUid!, modelVersion);
        string stagedPrefix = ScoreStudyNames.WorkPrefix(instanceId) + StagedFolder;

        // Staged before the submission, so that the instance finds the file when its quiet period ends.
        BlobContainerClient work = blobs.GetBlobContainerClient(containers.WorkContainer);
        await work.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        BlobClient staged = work.GetBlobClient(stagedPrefix + header.SopInstanceUid + ".dcm");
        await StageAsync(content, blobName, staged, cancellationToken).ConfigureAwait(false);

        var submission = new StudySubmission
        {
            InstanceId = instanceId,
            Request = new ScoreStudyRequest
            {
                StudyInstanceUid = header.StudyInstanceUid!,
                Blob = new BlobExamReference { Container = containers.WorkContainer, Prefix = stagedPrefix },
                QuietPeriodSeconds = scoring.Value.QuietPeriodSeconds,
                Trigger = TriggerName,
            },
            RaiseArrivalWhenRunning = true,
            SopInstanceUid = header.SopInstanceUid,
            Rescore = RescoreRule.Never,
        };
        ScheduleDecision decision = await scheduler.SubmitAsync(client, submission, cancellationToken).ConfigureAwait(false);
        TriggerLogs.UploadSubmitted(logger, blobName, instanceId, decision);
        if (decision == ScheduleDecision.AlreadyEnded)
        {
            // The run that scored this study has deleted its staged files, so a late file alone would be
            // scored as a partial series.
            await staged.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            throw new UploadRejectedException($"Study {header.StudyInstanceUid} was already scored by run {instanceId} from earlier uploads; "
                + "to score it again with this instance, upload the whole exam as one .zip.");
        }

        return instanceId;
    }

    /// <summary>Copies the uploaded instance into the work container, from the bound stream when it can rewind, else from the blob again.</summary>
    private async Task StageAsync(Stream content, string blobName, BlobClient staged, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            content.Position = 0;
            await staged.UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        BlobClient source = blobs.GetBlobContainerClient(storage.Value.IncomingContainer).GetBlobClient(blobName);
        await using Stream again = await source.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await staged.UploadAsync(again, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Stream> CopyToTemporaryFileAsync(Stream content, CancellationToken cancellationToken)
    {
        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), $"ich-upload-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
