namespace IchFunctions.Functions.Triggers.Scheduling;

/// <summary>
/// The version of the model that scores studies now. It is part of each ScoreStudy instance ID, so a new
/// model version scores every study again and the same version never scores one twice.
/// </summary>
public interface IModelVersionSource
{
    Task<string> GetModelVersionAsync(CancellationToken cancellationToken);
}
