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
    /// <summary>
    /// Registers ScoreStudy. When <paramref name="spans"/> is given, every activity call is timed into it;
    /// <paramref name="afterActivity"/> runs with the activity's name after each call that returns.
    /// </summary>
    public static DurableTaskRegistry AddScoreStudy(
        this DurableTaskRegistry registry, IServiceProvider services, ActivitySpans? spans = null, Func<string, Task>? afterActivity = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        registry.AddOrchestratorFunc<ScoreStudyRequest, ScoreStudyOutcome>(ScoreStudyNames.Orchestration, ScoreStudyOrchestration.RunAsync);
        Add<SelectSeriesInput, SelectSeriesResult, SelectSeriesActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.SelectSeries, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<ChunkInput, PreprocessChunkResult, PreprocessChunkActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.PreprocessChunk, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<ChunkInput, InferChunkResult, InferChunkActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.InferChunk, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<AggregateExamInput, AggregateExamResult, AggregateExamActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.AggregateExam, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<StoreOutputsInput, StoreOutputsResult, StoreOutputsActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.StoreOutputs, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<PublishAlertInput, bool, PublishAlertActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.PublishAlert, (a, i) => a.RunAsync(i, CancellationToken.None));
        Add<string, int, DeleteWorkActivity>(registry, services, spans, afterActivity, ScoreStudyActivityNames.DeleteWork, (a, i) => a.RunAsync(i, CancellationToken.None));
        return registry;
    }

    private static void Add<TInput, TOutput, TActivity>(
        DurableTaskRegistry registry, IServiceProvider services, ActivitySpans? spans, Func<string, Task>? afterActivity, string name,
        Func<TActivity, TInput, Task<TOutput>> run)
        where TActivity : notnull
    {
        registry.AddActivityFunc<TInput, TOutput>(name, async (_, input) =>
        {
            DateTime start = DateTime.UtcNow;
            TOutput output;
            try
            {
                output = await run(services.GetRequiredService<TActivity>(), input!);
            }
            finally
            {
                spans?.Add(name, start, DateTime.UtcNow);
            }

            if (afterActivity is not null)
            {
                await afterActivity(name);
            }

            return output;
        });
    }
}
