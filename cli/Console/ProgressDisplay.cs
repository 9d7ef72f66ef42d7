using IchFunctions.Imaging.Scoring;
using Spectre.Console;

namespace IchFunctions.Cli;

/// <summary>Shows scoring progress: bars per stage on a terminal, one line per stage otherwise.</summary>
internal static class ProgressDisplay
{
    public static async Task<ScoringResult> RunAsync(CliConsole console, string description, Func<IProgress<ScoringProgress>, Task<ScoringResult>> score)
    {
        console.Error.WriteLine($"Scoring {description}");
        if (!console.Interactive)
        {
            var lines = new StageLines(console.Error);
            return await score(lines).ConfigureAwait(false);
        }

        ScoringResult? result = null;
        await console.AnsiError.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<ScoringStage, ProgressTask>();
                var bars = new SynchronousProgress(update =>
                {
                    if (!tasks.TryGetValue(update.Stage, out ProgressTask? task))
                    {
                        foreach (ProgressTask previous in tasks.Values)
                        {
                            previous.Value = previous.MaxValue;
                        }

                        task = context.AddTask(Describe(update.Stage), maxValue: Math.Max(1, update.Total));
                        tasks[update.Stage] = task;
                    }

                    task.Value = update.Done;
                });
                result = await score(bars).ConfigureAwait(false);
                foreach (ProgressTask task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            }).ConfigureAwait(false);
        return result!;
    }

    private static string Describe(ScoringStage stage) => stage switch
    {
        ScoringStage.Scanning => "Reading headers",
        ScoringStage.Selecting => "Selecting series",
        ScoringStage.Loading => "Decoding slices",
        ScoringStage.Inference => "Running model",
        _ => "Measuring",
    };

    /// <summary>Writes a line when a stage starts, for logs and pipes where bars would be noise.</summary>
    private sealed class StageLines(TextWriter writer) : IProgress<ScoringProgress>
    {
        private ScoringStage? _current;

        public void Report(ScoringProgress value)
        {
            if (_current != value.Stage)
            {
                _current = value.Stage;
                writer.WriteLine($"  {Describe(value.Stage)} ({value.Total})");
            }
        }
    }

    private sealed class SynchronousProgress(Action<ScoringProgress> handler) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => handler(value);
    }
}
