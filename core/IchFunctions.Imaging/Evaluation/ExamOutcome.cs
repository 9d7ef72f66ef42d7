namespace IchFunctions.Imaging.Evaluation;

/// <summary>
/// One evaluated exam: its exam score, whether the reference says it has hemorrhage, and the Dice of the
/// predicted mask (null without a reference mask, or when both masks are empty).
/// </summary>
public sealed record ExamOutcome(string Exam, double Score, bool Positive, double? Dice);
