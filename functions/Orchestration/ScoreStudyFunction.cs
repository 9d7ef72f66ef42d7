using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace IchFunctions.Functions.Orchestration;

/// <summary>The Functions registration of the ScoreStudy orchestrator.</summary>
public static class ScoreStudyFunction
{
    [Function(ScoreStudyNames.Orchestration)]
    public static Task<ScoreStudyOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ScoreStudyRequest request = context.GetInput<ScoreStudyRequest>()
            ?? throw new ArgumentException("ScoreStudy was started without a ScoreStudyRequest input.", nameof(context));
        return ScoreStudyOrchestration.RunAsync(context, request);
    }
}
