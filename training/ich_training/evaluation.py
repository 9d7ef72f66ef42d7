"""Exam- and pixel-level metrics with percentile bootstrap intervals over exams."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence

import numpy as np

# Exam score rule of the model contract: an exam scores the highest slice probability it contains.
EXAM_SCORE_RULE = "max_slice_probability"
# Pixel average precision is computed from per-exam histograms of pixel probabilities, so the
# bootstrap can resample exams without revisiting every pixel. Scores are resolved to 1/HISTOGRAM_BINS.
HISTOGRAM_BINS = 1000


@dataclass
class ExamResult:
    """Summary of one evaluated exam: its label, score, Dice counts and pixel histograms."""

    exam_id: str
    label: int
    score: float
    # Dice counts at the pixel threshold: true positives, predicted positives, truth positives.
    intersection: int
    predicted: int
    truth: int
    # Pixel probability histograms of truth-positive and truth-negative pixels (None without masks).
    positive_histogram: Optional[np.ndarray] = None
    negative_histogram: Optional[np.ndarray] = None


def summarise_exam(
    exam_id: str,
    slice_probabilities: np.ndarray,
    pixel_probabilities: np.ndarray,
    mask: Optional[np.ndarray],
    label: int,
    pixel_threshold: float,
) -> ExamResult:
    """Reduce one exam's predictions to what the metrics need; pixels with mask -1 are left out."""
    score = float(np.max(slice_probabilities))
    if mask is None:
        return ExamResult(exam_id, label, score, 0, 0, 0)
    valid = mask >= 0
    truth = (mask == 1) & valid
    predicted = (pixel_probabilities >= pixel_threshold) & valid
    bins = np.minimum((pixel_probabilities * HISTOGRAM_BINS).astype(np.int64), HISTOGRAM_BINS - 1)
    return ExamResult(
        exam_id,
        label,
        score,
        int((truth & predicted).sum()),
        int(predicted.sum()),
        int(truth.sum()),
        np.bincount(bins[truth], minlength=HISTOGRAM_BINS),
        np.bincount(bins[valid & ~truth], minlength=HISTOGRAM_BINS),
    )


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half); NaN unless both classes occur."""
    labels = np.asarray(labels)
    positives, negatives = int((labels == 1).sum()), int((labels == 0).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = np.asarray(scores)[order]
    # Average ranks over ties.
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    ranks[order] = np.repeat(first + (counts + 1) / 2.0, counts)
    rank_sum = ranks[labels == 1].sum()
    return float((rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives))


def sensitivity_specificity(labels: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    """Sensitivity and specificity of ``score >= threshold``; NaN where a class is absent."""
    labels, positive = np.asarray(labels), np.asarray(scores) >= threshold
    positives, negatives = labels == 1, labels == 0
    sensitivity = float(positive[positives].mean()) if positives.any() else float("nan")
    specificity = float((~positive[negatives]).mean()) if negatives.any() else float("nan")
    return sensitivity, specificity


def average_precision_from_histograms(positive: np.ndarray, negative: np.ndarray) -> float:
    """Average precision of pixel scores given as histograms, thresholds from high to low; NaN without positives."""
    true_positives = np.cumsum(positive[::-1])
    false_positives = np.cumsum(negative[::-1])
    total = true_positives[-1] if len(true_positives) else 0
    if total == 0:
        return float("nan")
    recall = true_positives / total
    precision = true_positives / np.maximum(true_positives + false_positives, 1)
    recall_steps = np.diff(np.concatenate([[0.0], recall]))
    return float((recall_steps * precision).sum())


def threshold_for_sensitivity(labels: np.ndarray, scores: np.ndarray, sensitivity: float) -> float:
    """Highest threshold whose sensitivity is at least ``sensitivity`` on these exams."""
    positive_scores = np.sort(np.asarray(scores)[np.asarray(labels) == 1])[::-1]
    if len(positive_scores) == 0:
        raise ValueError("no positive exams to choose a threshold from")
    needed = int(np.ceil(sensitivity * len(positive_scores) - 1e-9))
    return float(positive_scores[max(needed, 1) - 1])


MetricFunction = Callable[[Sequence[ExamResult]], float]


def _metrics(operating_points: Mapping[str, float]) -> dict[str, MetricFunction]:
    def labelled(results: Sequence[ExamResult]) -> tuple[np.ndarray, np.ndarray]:
        kept = [r for r in results if r.label >= 0]
        return np.array([r.label for r in kept]), np.array([r.score for r in kept])

    def auc(results: Sequence[ExamResult]) -> float:
        return roc_auc(*labelled(results))

    def dice(results: Sequence[ExamResult]) -> float:
        with_truth = [r for r in results if r.truth > 0]
        if not with_truth:
            return float("nan")
        return float(np.mean([2 * r.intersection / (r.predicted + r.truth) for r in with_truth]))

    def pixel_ap(results: Sequence[ExamResult]) -> float:
        with_masks = [r for r in results if r.positive_histogram is not None]
        if not with_masks:
            return float("nan")
        positive = np.sum([r.positive_histogram for r in with_masks], axis=0)
        negative = np.sum([r.negative_histogram for r in with_masks], axis=0)
        return average_precision_from_histograms(positive, negative)

    metrics: dict[str, MetricFunction] = {"exam_auc": auc, "dice": dice, "pixel_average_precision": pixel_ap}
    for name, threshold in operating_points.items():
        metrics[f"{name}.sensitivity"] = lambda r, t=threshold: sensitivity_specificity(*labelled(r), t)[0]
        metrics[f"{name}.specificity"] = lambda r, t=threshold: sensitivity_specificity(*labelled(r), t)[1]
    return metrics


@dataclass
class MetricEstimate:
    """A metric on all exams with its percentile bootstrap interval (NaN when undefined)."""

    value: float
    lower: float
    upper: float
    # Bootstrap resamples in which the metric was defined (for example both classes present).
    resamples: int = 0


@dataclass
class EvaluationReport:
    """Every metric of an evaluation, plus the settings that produced it."""

    exams: int
    positive_exams: int
    pixel_threshold: float
    operating_points: dict[str, float]
    metrics: dict[str, MetricEstimate] = field(default_factory=dict)
    confidence: float = 0.95
    resamples: int = 1000


def _check_settings(results: Sequence[ExamResult], confidence: float) -> None:
    if not results:
        raise ValueError("no exams to evaluate")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")


def _interval(samples: np.ndarray, confidence: float) -> tuple[float, float, int]:
    """Return the percentile interval of the defined (non-NaN) samples and how many there were."""
    defined = samples[~np.isnan(samples)]
    if len(defined) == 0:
        return float("nan"), float("nan"), 0
    tail = (1.0 - confidence) / 2.0
    lower, upper = np.quantile(defined, [tail, 1.0 - tail])
    return float(lower), float(upper), int(len(defined))


def _resample(results: Sequence[ExamResult], metric: MetricFunction, draws: np.ndarray) -> np.ndarray:
    return np.array([metric([results[i] for i in draw]) for draw in draws])


def evaluate(
    results: Sequence[ExamResult],
    operating_points: Mapping[str, float],
    pixel_threshold: float,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> EvaluationReport:
    """Compute every metric on all exams and a ``confidence`` interval from ``resamples`` bootstrap resamples of exams."""
    _check_settings(results, confidence)
    draws = np.random.default_rng(seed).integers(0, len(results), size=(resamples, len(results)))
    report = EvaluationReport(
        len(results),
        sum(r.label == 1 for r in results),
        pixel_threshold,
        dict(operating_points),
        confidence=confidence,
        resamples=resamples,
    )
    for name, metric in _metrics(operating_points).items():
        lower, upper, defined = _interval(_resample(results, metric, draws), confidence)
        report.metrics[name] = MetricEstimate(metric(results), lower, upper, defined)
    return report


def evaluate_difference(
    baseline: Sequence[ExamResult],
    candidate: Sequence[ExamResult],
    operating_points: Mapping[str, float],
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, MetricEstimate]:
    """Estimate ``candidate - baseline`` for every metric with a paired bootstrap over the same exams.

    Both lists must hold the same exams in the same order; each resample draws the same exams for
    both models, so the interval reflects the difference between the models, not between exam sets.
    """
    _check_settings(baseline, confidence)
    if [r.exam_id for r in baseline] != [r.exam_id for r in candidate]:
        raise ValueError("a paired comparison needs the same exams in the same order for both models")
    draws = np.random.default_rng(seed).integers(0, len(baseline), size=(resamples, len(baseline)))
    differences = {}
    for name, metric in _metrics(operating_points).items():
        samples = _resample(candidate, metric, draws) - _resample(baseline, metric, draws)
        lower, upper, defined = _interval(samples, confidence)
        differences[name] = MetricEstimate(metric(candidate) - metric(baseline), lower, upper, defined)
    return differences
