using IchFunctions.Functions.Orchestration;
using Microsoft.DurableTask;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>
/// A test stand-in registered under the ScoreStudy name: it only waits out the quiet period the way the
/// real orchestration does (each InstanceArrived restarts the wait) and returns how many events it received,
/// so trigger tests can count exactly what reached the instance without scoring anything.
/// </summary>
public static class QuietPeriodProbe
{
    public static async Task<int> RunAsync(TaskOrchestrationContext context, ScoreStudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        int received = 0;
        while (true)
        {
            try
            {
                await context.WaitForExternalEvent<string?>(ScoreStudyNames.InstanceArrivedEvent, TimeSpan.FromSeconds(request.QuietPeriodSeconds));
                received++;
            }
            catch (TaskCanceledException)
            {
                return received;
            }
        }
    }

    public static void Register(DurableTaskRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<ScoreStudyRequest, int>(ScoreStudyNames.Orchestration, RunAsync);
    }
}
