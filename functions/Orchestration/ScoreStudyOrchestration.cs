using System.Globalization;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Imaging.Selection;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration;

/// <summary>
/// The ScoreStudy orchestration. It waits for the study's instances to stop arriving and selects the series.
/// It fans out fetching and decoding, then inference, over chunks of slices, and fans in the exam result.
/// It then stores the SEG, SR, report and key images, alerts on a positive exam and deletes its work blobs. Only blob names and small
/// summaries pass through its history. It is a static method on <see cref="TaskOrchestrationContext"/> so that
/// the Functions app and the in-process test host register the same code.
/// </summary>
public static class ScoreStudyOrchestration
{
    public static async Task<ScoreStudyOutcome> RunAsync(TaskOrchestrationContext context, ScoreStudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(context, request);

        ScoreStudyOutcome outcome;
        try
        {
            await run.WaitForQuietPeriodAsync();
            outcome = await run.ScoreAsync();
        }
        catch (TaskFailedException error)
        {
            // An activity still failed after its retries, so the error type or the stage names the dependency at fault.
            outcome = Failed(ReasonFor(error.FailureDetails, run.Stage), $"{run.Stage} failed after retries: {error.FailureDetails.ErrorMessage}");
        }

        await run.DeleteWorkAsync();
        context.SetCustomStatus(new ScoreStudyProgress(
            outcome.Kind == ScoreStudyOutcomeKind.Failed ? ScoreStudyStage.Failed : ScoreStudyStage.Completed, 1, 1));
        string reasonCode = outcome.ReasonCode ?? "";
        ILogger logger = context.CreateReplaySafeLogger(LogCategory);
        Logs.OrchestrationEnded(logger, context.InstanceId, outcome.Kind, reasonCode);
        return outcome;
    }

    /// <summary>
    /// Most <see cref="ScoreStudyNames.InstanceArrivedEvent"/> events one run waits through, which bounds its
    /// history; a study still receiving instances after that is scored with what has arrived.
    /// </summary>
    public const int MaxArrivalEvents = 5000;

    private const string LogCategory = "IchFunctions.Functions.Orchestration.ScoreStudy";

    /// <summary>
    /// Returns a failure when some chunk was scored by another model version or pixel threshold than the others
    /// or than selection saw, which happens when the model is replaced while the run is under way.
    /// </summary>
    public static ScoreStudyOutcome? ModelChanged(SelectSeriesResult selection, IReadOnlyList<InferChunkResult> inferred)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(inferred);
        var used = inferred.Select(result => (result.ModelVersion, result.PixelThreshold)).Distinct().ToArray();
        if (used.Length == 1 && used[0].ModelVersion == selection.ModelVersion)
        {
            return null;
        }

        string versions = string.Join(", ", used.Select(model =>
            string.Create(CultureInfo.InvariantCulture, $"{model.ModelVersion} (pixel threshold {model.PixelThreshold})")));
        return Failed(ReasonCodes.ModelError,
            $"Selection used model version {selection.ModelVersion}, but the chunks were scored by {versions}; the model changed during the run, so score the study again.");
    }

    internal static ScoreStudyOutcome Failed(string reasonCode, string message) =>
        new() { Kind = ScoreStudyOutcomeKind.Failed, ReasonCode = reasonCode, Message = message };

    /// <summary>
    /// Returns the reason code of the dependency that kept failing. The exception type identifies the remote
    /// engine, DICOMweb and storage; any other type is attributed to the stage that failed.
    /// </summary>
    private static string ReasonFor(TaskFailureDetails failure, ScoreStudyStage stage)
    {
        string type = failure.ErrorType;
        if (type.EndsWith(".InferenceException", StringComparison.Ordinal) || type.EndsWith(".InferenceProtocolException", StringComparison.Ordinal))
        {
            return ReasonCodes.InferenceUnavailable;
        }

        if (type.EndsWith(".DicomWebException", StringComparison.Ordinal))
        {
            return ReasonCodes.DicomServiceUnavailable;
        }

        if (type == "Azure.RequestFailedException")
        {
            return stage == ScoreStudyStage.Alerting ? ReasonCodes.AlertFailed : ReasonCodes.StorageUnavailable;
        }

        return stage switch
        {
            ScoreStudyStage.Selecting or ScoreStudyStage.Preprocessing => ReasonCodes.DicomServiceUnavailable,
            ScoreStudyStage.Inference => ReasonCodes.InferenceUnavailable,
            ScoreStudyStage.WritingOutputs => ReasonCodes.OutputWriteFailed,
            ScoreStudyStage.Alerting => ReasonCodes.AlertFailed,
            _ => ReasonCodes.InternalError,
        };
    }

    /// <summary>The state of one execution of the orchestrator function; rebuilt identically on every replay.</summary>
    private sealed class Run(TaskOrchestrationContext context, ScoreStudyRequest request)
    {

        public ScoreStudyStage Stage { get; private set; } = ScoreStudyStage.WaitingForInstances;

        private string InstanceId => context.InstanceId;

        public async Task WaitForQuietPeriodAsync()
        {
            if (request.QuietPeriodSeconds <= 0)
            {
                return;
            }

            int arrived = 0;
            SetStage(ScoreStudyStage.WaitingForInstances, 0, 0);
            while (arrived < MaxArrivalEvents)
            {
                try
                {
                    await context.WaitForExternalEvent<string?>(ScoreStudyNames.InstanceArrivedEvent, TimeSpan.FromSeconds(request.QuietPeriodSeconds));
                }
                catch (TaskCanceledException)
                {
                    // No instance arrived for a whole quiet period: the study is complete enough to select from.
                    break;
                }

                arrived++;
                SetStage(ScoreStudyStage.WaitingForInstances, arrived, 0);
            }

            ILogger logger = context.CreateReplaySafeLogger(LogCategory);
            Logs.QuietPeriodEnded(logger, InstanceId, arrived, request.QuietPeriodSeconds);
        }

        public async Task<ScoreStudyOutcome> ScoreAsync()
        {
            SetStage(ScoreStudyStage.Selecting, 0, 1);
            SelectSeriesResult selection = await context.CallActivityAsync<SelectSeriesResult>(
                ScoreStudyActivityNames.SelectSeries, new SelectSeriesInput(InstanceId, request), ScoreStudyRetries.DicomService);
            if (selection.Failure is { } selectFailure)
            {
                return Failed(selectFailure.ReasonCode, selectFailure.Message);
            }

            if (selection.SeriesInstanceUid is null)
            {
                return NoEligibleSeries(selection);
            }

            ILogger logger = context.CreateReplaySafeLogger(LogCategory);
            Logs.SeriesSelected(logger, InstanceId, selection.SeriesInstanceUid, selection.SliceCount);
            var plan = new ChunkPlan(selection.SliceCount, selection.Rows, selection.Columns, selection.ChunkSlices);
            int[] chunks = Enumerable.Range(0, plan.ChunkCount).ToArray();

            SetStage(ScoreStudyStage.Preprocessing, 0, plan.SliceCount);
            PreprocessChunkResult[] decoded = await FanOutAsync(
                chunks,
                chunk => context.CallActivityAsync<PreprocessChunkResult>(
                    ScoreStudyActivityNames.PreprocessChunk, new ChunkInput(InstanceId, request, plan, chunk), ScoreStudyRetries.DicomService),
                plan);
            if (decoded.Select(result => result.Failure).FirstOrDefault(failure => failure is not null) is { } decodeFailure)
            {
                return Failed(decodeFailure.ReasonCode, decodeFailure.Message);
            }

            SetStage(ScoreStudyStage.Inference, 0, plan.SliceCount);
            InferChunkResult[] inferred = await FanOutAsync(
                chunks,
                chunk => context.CallActivityAsync<InferChunkResult>(
                    ScoreStudyActivityNames.InferChunk, new ChunkInput(InstanceId, request, plan, chunk), ScoreStudyRetries.Inference),
                plan);
            if (inferred.Select(result => result.Failure).FirstOrDefault(failure => failure is not null) is { } inferFailure)
            {
                return Failed(inferFailure.ReasonCode, inferFailure.Message);
            }

            if (ModelChanged(selection, inferred) is { } modelChanged)
            {
                return modelChanged;
            }

            SetStage(ScoreStudyStage.Aggregating, 0, 1);
            var aggregateInput = new AggregateExamInput(
                InstanceId, request, plan, inferred.SelectMany(result => result.SliceProbabilities).ToArray(), selection.OperatingPoint!,
                context.CurrentUtcDateTime, decoded.Sum(result => result.ElapsedMs), inferred.Sum(result => result.InferenceMs),
                selection.ModelVersion!, inferred[0].PixelThreshold);
            AggregateExamResult exam = await context.CallActivityAsync<AggregateExamResult>(
                ScoreStudyActivityNames.AggregateExam, aggregateInput, ScoreStudyRetries.Storage);
            if (exam.Failure is { } aggregateFailure)
            {
                return Failed(aggregateFailure.ReasonCode, aggregateFailure.Message);
            }

            SetStage(ScoreStudyStage.WritingOutputs, 0, 1);
            StoreOutputsResult stored = await context.CallActivityAsync<StoreOutputsResult>(
                ScoreStudyActivityNames.StoreOutputs,
                new StoreOutputsInput(InstanceId, request, selection.ModelName!, selection.ModelVersion!, exam),
                ScoreStudyRetries.DicomService);
            if (stored.Failure is { } storeFailure)
            {
                return Failed(storeFailure.ReasonCode, storeFailure.Message);
            }

            ScoreStudyOutcome outcome = Scored(selection, exam, stored);
            Logs.ExamScored(logger, InstanceId, outcome.ExamProbability ?? 0, outcome.Positive ?? false, stored.AlreadyStored);
            if (exam.Positive)
            {
                SetStage(ScoreStudyStage.Alerting, 0, 1);
                await context.CallActivityAsync<bool>(
                    ScoreStudyActivityNames.PublishAlert,
                    new PublishAlertInput(InstanceId, outcome, request.DataPartition, request.StudyInstanceUid),
                    ScoreStudyRetries.Storage);
            }

            return outcome;
        }

        /// <summary>Deletes the work blobs whatever happened; a failure is logged, because the outcome is already decided.</summary>
        public async Task DeleteWorkAsync()
        {
            try
            {
                await context.CallActivityAsync<int>(ScoreStudyActivityNames.DeleteWork, InstanceId, ScoreStudyRetries.Storage);
            }
            catch (TaskFailedException error)
            {
                ILogger logger = context.CreateReplaySafeLogger(LogCategory);
                Logs.WorkNotDeleted(logger, InstanceId, error.FailureDetails.ErrorMessage);
            }
        }

        /// <summary>
        /// Starts one activity per chunk at once and waits for all of them, reporting slices done as chunks finish.
        /// Waits for every chunk even when one fails, so no activity still writes work blobs after the cleanup.
        /// </summary>
        private async Task<T[]> FanOutAsync<T>(int[] chunks, Func<int, Task<T>> start, ChunkPlan plan)
        {
            Task<T>[] tasks = chunks.Select(start).ToArray();
            var pending = new List<Task<T>>(tasks);
            int slicesDone = 0;
            while (pending.Count > 0)
            {
                Task<T> finished = await Task.WhenAny(pending);
                pending.Remove(finished);
                slicesDone += plan.SlicesIn(Array.IndexOf(tasks, finished));
                SetStage(Stage, slicesDone, plan.SliceCount);
            }

            // Every task has finished; this rethrows the first failure as TaskFailedException.
            return await Task.WhenAll(tasks);
        }

        private ScoreStudyOutcome NoEligibleSeries(SelectSeriesResult selection)
        {
            string reasons = selection.Series.Count == 0
                ? "the study has no instances"
                : string.Join("; ", selection.Series.Select(series => string.Create(CultureInfo.InvariantCulture,
                    $"series {series.SeriesInstanceUid} ({series.Modality ?? "no modality"}, {series.InstanceCount} instances): {series.Reason}")));
            return new ScoreStudyOutcome
            {
                Kind = ScoreStudyOutcomeKind.NoEligibleSeries,
                ReasonCode = ReasonCodes.NoEligibleSeries,
                Message = $"No series of study {request.StudyInstanceUid} can be scored: {reasons}.",
                ModelName = selection.ModelName,
                ModelVersion = selection.ModelVersion,
            };
        }

        private static ScoreStudyOutcome Scored(SelectSeriesResult selection, AggregateExamResult exam, StoreOutputsResult stored) => new()
        {
            Kind = ScoreStudyOutcomeKind.Scored,
            SeriesInstanceUid = selection.SeriesInstanceUid,
            ModelName = selection.ModelName,
            ModelVersion = selection.ModelVersion,
            ExamProbability = exam.ExamProbability,
            OperatingPoint = selection.OperatingPoint,
            Positive = exam.Positive,
            HemorrhageVolumeMl = exam.HemorrhageVolumeMl,
            SegmentationSopInstanceUid = exam.SegmentationSopInstanceUid,
            ReportSrSopInstanceUid = exam.ReportSrSopInstanceUid,
            ReportBlob = stored.ReportBlob,
        };

        private void SetStage(ScoreStudyStage stage, int done, int total)
        {
            Stage = stage;
            context.SetCustomStatus(new ScoreStudyProgress(stage, done, total));
        }
    }
}
