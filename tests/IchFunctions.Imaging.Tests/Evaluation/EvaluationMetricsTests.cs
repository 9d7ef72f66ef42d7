using IchFunctions.Imaging.Evaluation;

namespace IchFunctions.Imaging.Tests.Evaluation;

public sealed class EvaluationMetricsTests
{
    private static readonly ExamOutcome[] Outcomes =
    [
        new("a", 0.9, true, 0.8),
        new("b", 0.7, true, 0.6),
        new("c", 0.4, true, null),
        new("d", 0.6, false, null),
        new("e", 0.2, false, null),
        new("f", 0.4, false, null),
    ];

    [Fact]
    public void Auc_CountsTiesAsHalf()
    {
        // Positive-negative pairs won: 0.9 beats 3, 0.7 beats 3, 0.4 beats 0.2 and ties 0.4: (3 + 3 + 1.5) / 9.
        Assert.Equal(7.5 / 9, EvaluationMetrics.Auc(Outcomes), 12);
    }

    [Fact]
    public void SensitivityAndSpecificity_UseInclusiveThreshold()
    {
        Assert.Equal(2.0 / 3, EvaluationMetrics.Sensitivity(Outcomes, 0.7), 12);
        Assert.Equal(2.0 / 3, EvaluationMetrics.Specificity(Outcomes, 0.6), 12);
    }

    [Fact]
    public void MeanDice_UsesPositivesWithMasks()
    {
        Assert.Equal(0.7, EvaluationMetrics.MeanDice(Outcomes), 12);
    }

    [Fact]
    public void Auc_OneClassOnly_IsUndefined()
    {
        Assert.True(double.IsNaN(EvaluationMetrics.Auc(Outcomes.Where(o => o.Positive).ToArray())));
    }

    [Fact]
    public void Summarise_IntervalsBracketTheValueAndRepeat()
    {
        EvaluationSummary first = EvaluationMetrics.Summarise(Outcomes, [("default", 0.5)], resamples: 500, seed: 3);
        EvaluationSummary second = EvaluationMetrics.Summarise(Outcomes, [("default", 0.5)], resamples: 500, seed: 3);

        Assert.Equal(first, second with { OperatingPoints = first.OperatingPoints });
        Assert.InRange(first.Auc.Value, first.Auc.Lower, first.Auc.Upper);
        Assert.True(first.Auc.Upper - first.Auc.Lower > 0.1, "six exams should give a wide interval");
        Assert.Equal(3, first.PositiveExams);
        Assert.Equal(2.0 / 3, Assert.Single(first.OperatingPoints).Sensitivity.Value, 12);
    }
}
