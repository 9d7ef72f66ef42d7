namespace IchFunctions.Imaging.Evaluation;

/// <summary>A metric with its 95% percentile bootstrap interval; NaN where the sample cannot define it.</summary>
public sealed record Estimate(double Value, double Lower, double Upper);

/// <summary>Sensitivity and specificity at one operating point.</summary>
public sealed record OperatingPointMetrics(string Name, double Threshold, Estimate Sensitivity, Estimate Specificity);

/// <summary>Exam-level and pixel-level metrics over a set of evaluated exams.</summary>
public sealed record EvaluationSummary(
    int Exams,
    int PositiveExams,
    Estimate Auc,
    Estimate MeanDice,
    IReadOnlyList<OperatingPointMetrics> OperatingPoints,
    int Resamples);

/// <summary>
/// Computes exam AUC, sensitivity and specificity at operating points and mean Dice over positive exams, each
/// with a 95% interval from resampling whole exams with replacement (percentile bootstrap, seeded).
/// </summary>
public static class EvaluationMetrics
{
    public static EvaluationSummary Summarise(IReadOnlyList<ExamOutcome> outcomes, IReadOnlyList<(string Name, double Threshold)> operatingPoints, int resamples = 1000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(operatingPoints);
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);

        var random = new Random(seed);
        int[][] samples = Enumerable.Range(0, resamples)
            .Select(_ => Enumerable.Range(0, outcomes.Count).Select(_ => random.Next(outcomes.Count)).ToArray())
            .ToArray();

        Estimate Bootstrap(Func<IReadOnlyList<ExamOutcome>, double> metric)
        {
            double value = metric(outcomes);
            double[] values = samples.Select(sample => metric(sample.Select(i => outcomes[i]).ToArray())).Where(v => !double.IsNaN(v)).Order().ToArray();
            return values.Length == 0 ? new Estimate(value, double.NaN, double.NaN) : new Estimate(value, Percentile(values, 0.025), Percentile(values, 0.975));
        }

        return new EvaluationSummary(
            outcomes.Count,
            outcomes.Count(o => o.Positive),
            Bootstrap(Auc),
            Bootstrap(MeanDice),
            operatingPoints.Select(point => new OperatingPointMetrics(
                point.Name,
                point.Threshold,
                Bootstrap(sample => Sensitivity(sample, point.Threshold)),
                Bootstrap(sample => Specificity(sample, point.Threshold)))).ToArray(),
            resamples);
    }

    /// <summary>Area under the ROC curve: the chance a positive exam scores above a negative one, ties counting half.</summary>
    public static double Auc(IReadOnlyList<ExamOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        double[] positives = outcomes.Where(o => o.Positive).Select(o => o.Score).ToArray();
        double[] negatives = outcomes.Where(o => !o.Positive).Select(o => o.Score).ToArray();
        if (positives.Length == 0 || negatives.Length == 0)
        {
            return double.NaN;
        }

        double wins = 0;
        foreach (double positive in positives)
        {
            foreach (double negative in negatives)
            {
                wins += positive > negative ? 1 : positive == negative ? 0.5 : 0;
            }
        }

        return wins / (positives.Length * (double)negatives.Length);
    }

    /// <summary>Share of positive exams scored at or above the threshold; NaN without positives.</summary>
    public static double Sensitivity(IReadOnlyList<ExamOutcome> outcomes, double threshold)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ExamOutcome[] positives = outcomes.Where(o => o.Positive).ToArray();
        return positives.Length == 0 ? double.NaN : positives.Count(o => o.Score >= threshold) / (double)positives.Length;
    }

    /// <summary>Share of negative exams scored below the threshold; NaN without negatives.</summary>
    public static double Specificity(IReadOnlyList<ExamOutcome> outcomes, double threshold)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ExamOutcome[] negatives = outcomes.Where(o => !o.Positive).ToArray();
        return negatives.Length == 0 ? double.NaN : negatives.Count(o => o.Score < threshold) / (double)negatives.Length;
    }

    /// <summary>Mean Dice over positive exams that have one; NaN when none has.</summary>
    public static double MeanDice(IReadOnlyList<ExamOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        double[] dice = outcomes.Where(o => o.Positive && o.Dice is not null).Select(o => o.Dice!.Value).ToArray();
        return dice.Length == 0 ? double.NaN : dice.Average();
    }

    /// <summary>Linear interpolation between the closest ranks of a sorted sample.</summary>
    private static double Percentile(double[] sorted, double fraction)
    {
        double position = fraction * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
