using IchFunctions.Functions.Orchestration;
using Microsoft.DurableTask;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>
/// A test stand-in registered under the ScoreStudy name for the HTTP tests: it walks through the stages
/// with short timers, setting the custom status as the real orchestration does, and returns a fixed
/// positive outcome, so the status endpoint can be observed mid-run and at completion.
/// </summary>
public static class ScoredOutcomeProbe
{
    public const double Probability = 0.93;
    public const double VolumeMl = 12.5;
    public const string SegmentationUid = "2.25.1001";
    public const string SrUid = "2.25.1002";

    public static async Task<ScoreStudyOutcome> RunAsync(TaskOrchestrationContext context, ScoreStudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ScoreStudyStage[] stages = [ScoreStudyStage.Selecting, ScoreStudyStage.Preprocessing, ScoreStudyStage.Inference, ScoreStudyStage.WritingOutputs];
        for (int index = 0; index < stages.Length; index++)
        {
            context.SetCustomStatus(new ScoreStudyProgress(stages[index], index, stages.Length));
            await context.CreateTimer(TimeSpan.FromMilliseconds(400), CancellationToken.None);
        }

        context.SetCustomStatus(new ScoreStudyProgress(ScoreStudyStage.Completed, stages.Length, stages.Length));
        return new ScoreStudyOutcome
        {
            Kind = ScoreStudyOutcomeKind.Scored,
            SeriesInstanceUid = request.SeriesInstanceUid ?? "2.25.2000",
            ModelName = "probe",
            ModelVersion = TriggerHarness.ModelVersion,
            ExamProbability = Probability,
            OperatingPoint = request.OperatingPoint ?? "default",
            Positive = true,
            HemorrhageVolumeMl = VolumeMl,
            SegmentationSopInstanceUid = SegmentationUid,
            ReportSrSopInstanceUid = SrUid,
            ReportBlob = "results/report.json",
        };
    }

    public static void Register(DurableTaskRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<ScoreStudyRequest, ScoreStudyOutcome>(ScoreStudyNames.Orchestration, RunAsync);
    }
}
