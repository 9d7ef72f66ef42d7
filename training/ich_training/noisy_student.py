"""Noisy-student pieces: ranking unlabelled slices, pixel pseudo-labels, and the labelled : pseudo-labelled batch mix."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from .data.dataset import IGNORE, Exam


@dataclass(frozen=True)
class NoisyStudentConfig:
    """Pseudo-labelling and mixing parameters, with the defaults of the published method."""

    # Share of unlabelled slices, ranked by the ranker's slice probability, taken as positive images.
    top_fraction: float = 0.10
    # Teacher pixel probability above which a pixel is positive, and below which it is negative.
    positive_threshold: float = 0.7
    negative_threshold: float = 0.3
    # Share of each batch drawn from labelled data; the rest is pseudo-labelled.
    labelled_fraction: float = 0.6
    # Pixels of slices ranked negative are all background; false keeps the teacher's thresholds there.
    negative_slices_background: bool = True
    # Model noise of the student (Dropout2d before the heads); data noise is the augmentation.
    student_dropout: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.top_fraction <= 1.0:
            raise ValueError(f"top_fraction must be in [0, 1], got {self.top_fraction}")
        if not 0.0 <= self.negative_threshold <= self.positive_threshold <= 1.0:
            raise ValueError(
                "thresholds must satisfy 0 <= negative_threshold <= positive_threshold <= 1, "
                f"got negative {self.negative_threshold} and positive {self.positive_threshold}"
            )
        if not 0.0 < self.labelled_fraction <= 1.0:
            raise ValueError(f"labelled_fraction must be in (0, 1], got {self.labelled_fraction}")
        if not 0.0 <= self.student_dropout < 1.0:
            raise ValueError(f"student_dropout must be in [0, 1), got {self.student_dropout}")


def select_top_fraction(scores: np.ndarray, fraction: float) -> np.ndarray:
    """Mark the ``ceil(fraction * n)`` highest scores; ties go to the earlier index. Returns bool ``[n]``."""
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if np.isnan(scores).any():
        raise ValueError("ranker scores contain NaN; the ranker output is invalid")
    count = min(len(scores), math.ceil(fraction * len(scores) - 1e-9))
    # A stable sort of the negated scores keeps equal scores in index order.
    order = np.argsort(-scores, kind="stable")
    selected = np.zeros(len(scores), dtype=bool)
    selected[order[:count]] = True
    return selected


def pixel_pseudo_labels(probabilities: np.ndarray, positive_threshold: float, negative_threshold: float) -> np.ndarray:
    """Threshold teacher probabilities: 1 above ``positive_threshold``, 0 below ``negative_threshold``, -1 between."""
    labels = np.full(probabilities.shape, IGNORE, dtype=np.int8)
    labels[probabilities > positive_threshold] = 1
    labels[probabilities < negative_threshold] = 0
    return labels


def pseudo_label_exams(
    exams: Sequence[Exam],
    pixel_probabilities: Sequence[np.ndarray],
    ranker_scores: Sequence[np.ndarray],
    config: NoisyStudentConfig,
) -> list[Exam]:
    """Turn unlabelled exams into pseudo-labelled ones.

    The top ``config.top_fraction`` of all slices by ranker score become positive slices whose
    pixels get thresholded teacher labels; every other slice is negative.
    """
    if not len(exams) == len(pixel_probabilities) == len(ranker_scores):
        raise ValueError(
            f"got {len(exams)} exams, {len(pixel_probabilities)} probability volumes and {len(ranker_scores)} score arrays"
        )
    positive = select_top_fraction(np.concatenate([np.ravel(s) for s in ranker_scores]), config.top_fraction)

    labelled: list[Exam] = []
    offset = 0
    for exam, probabilities, scores in zip(exams, pixel_probabilities, ranker_scores):
        if probabilities.shape != exam.hu.shape or len(scores) != exam.hu.shape[0]:
            raise ValueError(
                f"exam {exam.exam_id}: probabilities {probabilities.shape} and {len(scores)} scores "
                f"do not match HU shape {exam.hu.shape}"
            )
        slice_positive = positive[offset : offset + len(scores)]
        offset += len(scores)
        mask = pixel_pseudo_labels(probabilities, config.positive_threshold, config.negative_threshold)
        if config.negative_slices_background:
            mask[~slice_positive] = 0
        labelled.append(Exam(exam.exam_id, exam.hu, mask=mask, slice_labels=slice_positive.astype(np.int8)))
    return labelled


class MixedBatchSampler:
    """Batches of dataset positions with a fixed labelled : pseudo-labelled split.

    Positions below ``labelled_size`` are labelled; the next ``pseudo_size`` are pseudo-labelled.
    When ``batch_size * labelled_fraction`` is not a whole number, batches take the floor or the
    ceiling of it, so the running total stays within one sample of the exact share. With 16 and
    0.6, batches hold 10, 9, 10, 9, 10 labelled samples, 48 of every 80. Samples are drawn
    without replacement within a batch where the pool allows. Batch ``k`` depends only on ``seed``
    and ``k``, so training resumes at any step with the same batches.
    """

    def __init__(
        self, labelled_size: int, pseudo_size: int, batch_size: int = 16, labelled_fraction: float = 0.6, seed: int = 0
    ) -> None:
        if labelled_size <= 0:
            raise ValueError("the labelled set is empty; at least one labelled slice is required")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        if not 0.0 < labelled_fraction <= 1.0:
            raise ValueError(f"labelled_fraction must be in (0, 1], got {labelled_fraction}")
        # Exact arithmetic keeps 16 * 0.6 at 48/5, not 9.600000000000001.
        share = Fraction(labelled_fraction).limit_denominator(10**6) if pseudo_size > 0 else Fraction(1)
        self.labelled_per_batch = batch_size * share
        if math.floor(self.labelled_per_batch) == 0:
            raise ValueError(
                f"batch_size {batch_size} with labelled_fraction {labelled_fraction} leaves batches without labelled samples"
            )
        self.batch_size = batch_size
        self.labelled_size = labelled_size
        self.pseudo_size = pseudo_size
        self.seed = seed

    def labelled_count(self, step: int) -> int:
        """Return how many labelled samples batch ``step`` takes: the rounded running total's increment."""

        def total(steps: int) -> int:
            return math.floor(steps * self.labelled_per_batch + Fraction(1, 2))

        return total(step + 1) - total(step)

    def _draw(self, rng: np.random.Generator, pool: int, count: int) -> np.ndarray:
        return rng.choice(pool, size=count, replace=count > pool)

    def batch(self, step: int) -> list[int]:
        rng = np.random.default_rng([self.seed, step])
        labelled_count = self.labelled_count(step)
        pseudo_count = self.batch_size - labelled_count
        labelled = self._draw(rng, self.labelled_size, labelled_count)
        pseudo = self._draw(rng, self.pseudo_size, pseudo_count) + self.labelled_size if pseudo_count else []
        return [int(i) for i in np.concatenate([labelled, pseudo])]
