using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Orchestration.Activities;
using IchFunctions.Functions.Orchestration.Models;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>
/// Registers ScoreStudy and its activities with the in-process Durable Task test host under the names the
/// Functions app uses. The activities come from a service provider built with
/// <see cref="ScoringServices.AddScoreStudyServices"/>, so they run exactly as in the app.
/// </summary>
public static class ScoreStudyRegistration
{
    public static DurableTaskRegistry AddScoreStudy(this DurableTaskRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        registry.AddOrchestratorFunc<ScoreStudyRequest, ScoreStudyOutcome>(ScoreStudyNames.Orchestration, ScoreStudyOrchestration.RunAsync);
        registry.AddActivityFunc<SelectSeriesInput, SelectSeriesResult>(
            ScoreStudyActivityNames.SelectSeries, (_, input) => services.GetRequiredService<SelectSeriesActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<ChunkInput, PreprocessChunkResult>(
            ScoreStudyActivityNames.PreprocessChunk, (_, input) => services.GetRequiredService<PreprocessChunkActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<ChunkInput, InferChunkResult>(
            ScoreStudyActivityNames.InferChunk, (_, input) => services.GetRequiredService<InferChunkActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<AggregateExamInput, AggregateExamResult>(
            ScoreStudyActivityNames.AggregateExam, (_, input) => services.GetRequiredService<AggregateExamActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<StoreOutputsInput, StoreOutputsResult>(
            ScoreStudyActivityNames.StoreOutputs, (_, input) => services.GetRequiredService<StoreOutputsActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<PublishAlertInput, bool>(
            ScoreStudyActivityNames.PublishAlert, (_, input) => services.GetRequiredService<PublishAlertActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<string, int>(
            ScoreStudyActivityNames.DeleteWork, (_, instanceId) => services.GetRequiredService<DeleteWorkActivity>().RunAsync(instanceId, CancellationToken.None));
        return registry;
    }
}
