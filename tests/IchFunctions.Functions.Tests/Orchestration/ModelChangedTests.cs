using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Orchestration.Models;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>A run whose chunks were scored by a different model than selection saw ends as a model error.</summary>
public sealed class ModelChangedTests
{
    private static readonly SelectSeriesResult Selection = new() { ModelName = "patchfcn-demo", ModelVersion = "1.0.0" };

    [Fact]
    public void ModelChanged_SameModelEverywhere_ReturnsNull()
    {
        Assert.Null(ScoreStudyOrchestration.ModelChanged(Selection, [Chunk("1.0.0", 0.5), Chunk("1.0.0", 0.5)]));
    }

    [Fact]
    public void ModelChanged_ChunksDisagree_FailsNamingBoth()
    {
        ScoreStudyOutcome? outcome = ScoreStudyOrchestration.ModelChanged(Selection, [Chunk("1.0.0", 0.5), Chunk("1.1.0", 0.4)]);

        Assert.NotNull(outcome);
        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.ModelError, outcome.ReasonCode);
        Assert.Contains("1.0.0 (pixel threshold 0.5), 1.1.0 (pixel threshold 0.4)", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("score the study again", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelChanged_ThresholdOnlyDiffers_Fails()
    {
        ScoreStudyOutcome? outcome = ScoreStudyOrchestration.ModelChanged(Selection, [Chunk("1.0.0", 0.5), Chunk("1.0.0", 0.4)]);

        Assert.Equal(ReasonCodes.ModelError, outcome?.ReasonCode);
    }

    [Fact]
    public void ModelChanged_AllChunksNewerThanSelection_Fails()
    {
        ScoreStudyOutcome? outcome = ScoreStudyOrchestration.ModelChanged(Selection, [Chunk("1.1.0", 0.5)]);

        Assert.Equal(ReasonCodes.ModelError, outcome?.ReasonCode);
        Assert.Contains("Selection used model version 1.0.0", outcome!.Message, StringComparison.Ordinal);
    }

    private static InferChunkResult Chunk(string version, double threshold) => new() { ModelVersion = version, PixelThreshold = threshold };
}
