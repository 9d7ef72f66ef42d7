namespace IchFunctions.Functions.Orchestration.Work;

/// <summary>
/// Names in the results container: one folder per study and model version, so a rerun overwrites its own
/// report and another model version writes beside it.
/// </summary>
public static class ResultBlobs
{
    /// <summary>The folder of a study's results, for example <c>studies/1.2.3/patchfcn-demo/1.0.0/</c>, under <c>partitions/NAME/</c> when a data partition is used.</summary>
    public static string Prefix(ScoreStudyRequest request, string modelName, string modelVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        string partition = string.IsNullOrEmpty(request.DataPartition) ? "" : $"partitions/{request.DataPartition}/";
        return $"{partition}studies/{request.StudyInstanceUid}/{modelName}/{modelVersion}/";
    }
}
