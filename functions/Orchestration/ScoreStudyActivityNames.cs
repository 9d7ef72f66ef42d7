namespace IchFunctions.Functions.Orchestration;

/// <summary>Names under which the ScoreStudy activities are registered, in the Functions app and the test host.</summary>
public static class ScoreStudyActivityNames
{
    public const string SelectSeries = "ScoreStudy_SelectSeries";
    public const string PreprocessChunk = "ScoreStudy_PreprocessChunk";
    public const string InferChunk = "ScoreStudy_InferChunk";
    public const string AggregateExam = "ScoreStudy_AggregateExam";
    public const string StoreOutputs = "ScoreStudy_StoreOutputs";
    public const string PublishAlert = "ScoreStudy_PublishAlert";
    public const string DeleteWork = "ScoreStudy_DeleteWork";
}
