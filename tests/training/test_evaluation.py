import itertools

import numpy as np
import pytest

from ich_training.evaluation import (
    HISTOGRAM_BINS,
    average_precision_from_histograms,
    evaluate,
    evaluate_difference,
    roc_auc,
    sensitivity_specificity,
    summarise_exam,
    threshold_for_sensitivity,
)


def _pairwise_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    positives, negatives = scores[labels == 1], scores[labels == 0]
    wins = [float(p > n) + 0.5 * float(p == n) for p, n in itertools.product(positives, negatives)]
    return float(np.mean(wins))


def _exact_average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = labels[order]
    precision_at_hits = np.cumsum(hits)[hits == 1] / (np.flatnonzero(hits == 1) + 1)
    return float(precision_at_hits.mean())


def test_auc_matches_pairwise_count_with_ties() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 60)
    scores = np.round(rng.random(60), 1)

    assert roc_auc(labels, scores) == pytest.approx(_pairwise_auc(labels, scores))


def test_auc_single_class_is_nan() -> None:
    assert np.isnan(roc_auc(np.ones(4), np.arange(4.0)))


def test_sensitivity_specificity_at_threshold() -> None:
    labels = np.array([1, 1, 1, 0, 0, 0, 0])
    scores = np.array([0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4])

    assert sensitivity_specificity(labels, scores, 0.5) == pytest.approx((2 / 3, 3 / 4))


def test_threshold_for_sensitivity_reaches_target() -> None:
    labels = np.array([1, 1, 1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.4, 0.3, 0.35, 0.1])

    threshold = threshold_for_sensitivity(labels, scores, 0.75)

    assert threshold == 0.4
    assert sensitivity_specificity(labels, scores, threshold)[0] >= 0.75


def test_histogram_average_precision_matches_exact_for_distinct_bins() -> None:
    rng = np.random.default_rng(1)
    scores = (rng.permutation(HISTOGRAM_BINS)[:200] + 0.5) / HISTOGRAM_BINS
    labels = (rng.random(200) < 0.3).astype(int)
    bins = (scores * HISTOGRAM_BINS).astype(int)

    ap = average_precision_from_histograms(
        np.bincount(bins[labels == 1], minlength=HISTOGRAM_BINS), np.bincount(bins[labels == 0], minlength=HISTOGRAM_BINS)
    )

    assert ap == pytest.approx(_exact_average_precision(labels, scores))


def test_summarise_exam_counts_dice_terms_and_skips_ignored() -> None:
    mask = np.array([[[1, 1, 0, -1]]], dtype=np.int8)
    pixels = np.array([[[0.9, 0.2, 0.8, 0.9]]], dtype=np.float32)

    result = summarise_exam("e", np.array([0.7]), pixels, mask, label=1, pixel_threshold=0.5)

    assert (result.intersection, result.predicted, result.truth) == (1, 2, 2)
    assert result.score == pytest.approx(0.7)
    assert result.positive_histogram.sum() == 2
    assert result.negative_histogram.sum() == 1


def _results(count: int, seed: int):
    rng = np.random.default_rng(seed)
    results = []
    for i in range(count):
        label = i % 2
        mask = np.zeros((2, 8, 8), np.int8)
        if label:
            mask[0, 2:5, 2:5] = 1
        pixels = np.clip(mask * 0.35 + rng.random(mask.shape) * 0.6, 0, 1).astype(np.float32)
        slices = np.array([rng.random() * 0.5 + 0.4 * label, rng.random() * 0.3])
        results.append(summarise_exam(f"e{i}", slices, pixels, mask, label, 0.5))
    return results


def test_evaluate_reports_every_metric_with_interval() -> None:
    report = evaluate(_results(40, 2), {"default": 0.5, "sensitive": 0.3}, pixel_threshold=0.5, resamples=200, seed=3)

    expected = {"exam_auc", "dice", "pixel_average_precision"} | {
        f"{p}.{m}" for p in ("default", "sensitive") for m in ("sensitivity", "specificity")
    }
    assert set(report.metrics) == expected
    for name, estimate in report.metrics.items():
        assert estimate.lower <= estimate.value <= estimate.upper, name
        assert estimate.resamples == 200, name
    assert report.exams == 40
    assert report.positive_exams == 20


def test_evaluate_interval_narrows_with_more_exams() -> None:
    small = evaluate(_results(20, 4), {}, 0.5, resamples=300, seed=0).metrics["dice"]
    large = evaluate(_results(320, 4), {}, 0.5, resamples=300, seed=0).metrics["dice"]

    assert (large.upper - large.lower) < (small.upper - small.lower)


def test_evaluate_is_repeatable_for_a_seed() -> None:
    first = evaluate(_results(20, 5), {"default": 0.5}, 0.5, resamples=100, seed=7)
    second = evaluate(_results(20, 5), {"default": 0.5}, 0.5, resamples=100, seed=7)

    assert first.metrics == second.metrics


def test_evaluate_without_exams_raises() -> None:
    with pytest.raises(ValueError, match="no exams"):
        evaluate([], {}, 0.5)


def test_difference_of_model_with_itself_is_zero() -> None:
    results = _results(30, 6)

    differences = evaluate_difference(results, results, {"default": 0.5}, resamples=100)

    for name, estimate in differences.items():
        assert estimate.value == 0.0, name
        assert estimate.lower == 0.0, name
        assert estimate.upper == 0.0, name


def test_difference_detects_better_model() -> None:
    weak, strong = _results(60, 8), _results(60, 8)
    for result in weak:
        result.score = 0.5

    differences = evaluate_difference(weak, strong, {}, resamples=200)

    assert differences["exam_auc"].value > 0.3
    assert differences["exam_auc"].lower > 0.0


def test_difference_needs_same_exams() -> None:
    with pytest.raises(ValueError, match="same exams"):
        evaluate_difference(_results(4, 1), _results(5, 1), {})
