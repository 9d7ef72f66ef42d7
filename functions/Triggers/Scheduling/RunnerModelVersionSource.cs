using IchFunctions.Functions.Scoring;

namespace IchFunctions.Functions.Triggers.Scheduling;

/// <summary>
/// The model version from the <c>ich.contract</c> of the model runner that ScoreStudy uses (the remote
/// server's model or the in-process ONNX file), so triggers and the orchestration agree on it.
/// </summary>
public sealed class RunnerModelVersionSource(ModelRunnerProvider runners) : IModelVersionSource
{
    public async Task<string> GetModelVersionAsync(CancellationToken cancellationToken) =>
        (await runners.GetAsync(cancellationToken).ConfigureAwait(false)).Contract.ModelVersion;
}
