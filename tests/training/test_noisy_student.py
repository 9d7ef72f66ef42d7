import numpy as np
import pytest

from ich_training.data.dataset import IGNORE, Exam
from ich_training.noisy_student import (
    MixedBatchSampler,
    NoisyStudentConfig,
    pixel_pseudo_labels,
    pseudo_label_exams,
    select_top_fraction,
)


def test_defaults_follow_published_method() -> None:
    config = NoisyStudentConfig()

    assert (config.top_fraction, config.positive_threshold, config.negative_threshold) == (0.10, 0.7, 0.3)
    assert config.labelled_fraction == 0.6


def test_pseudo_labels_ignore_band() -> None:
    probabilities = np.array([0.0, 0.29, 0.3, 0.5, 0.7, 0.71, 1.0], dtype=np.float32)

    labels = pixel_pseudo_labels(probabilities, positive_threshold=0.7, negative_threshold=0.3)

    assert labels.tolist() == [0, 0, IGNORE, IGNORE, IGNORE, 1, 1]
    assert labels.dtype == np.int8


def test_pseudo_labels_thresholds_are_parameters() -> None:
    labels = pixel_pseudo_labels(np.array([0.15, 0.5, 0.85]), positive_threshold=0.8, negative_threshold=0.2)

    assert labels.tolist() == [0, IGNORE, 1]


def test_top_fraction_selects_highest_ten_percent() -> None:
    scores = np.random.default_rng(0).permutation(np.arange(100, dtype=np.float64))

    selected = select_top_fraction(scores, 0.10)

    assert selected.sum() == 10
    assert sorted(scores[selected].tolist()) == list(range(90, 100))


def test_top_fraction_rounds_up_and_ties() -> None:
    selected = select_top_fraction(np.array([0.5, 0.9, 0.9, 0.1, 0.9]), 0.25)

    assert selected.tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(("fraction", "expected"), [(0.0, 0), (1.0, 7)])
def test_top_fraction_bounds(fraction: float, expected: int) -> None:
    assert select_top_fraction(np.linspace(0, 1, 7), fraction).sum() == expected


def test_top_fraction_nan_scores_raise() -> None:
    with pytest.raises(ValueError, match="NaN"):
        select_top_fraction(np.array([0.1, np.nan]), 0.5)


def test_pseudo_label_exams_ranks_across_exams() -> None:
    exams = [Exam("a", np.zeros((4, 2, 2), np.float32)), Exam("b", np.zeros((6, 2, 2), np.float32))]
    probabilities = [np.full((4, 2, 2), 0.9, np.float32), np.full((6, 2, 2), 0.5, np.float32)]
    probabilities[1][5] = [[0.95, 0.5], [0.1, 0.8]]
    scores = [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.99])]

    labelled = pseudo_label_exams(exams, probabilities, scores, NoisyStudentConfig(top_fraction=0.2))

    # The two top slices of all ten are exam b slice 5 and exam a slice 3.
    assert labelled[0].slice_labels.tolist() == [0, 0, 0, 1]
    assert labelled[1].slice_labels.tolist() == [0, 0, 0, 0, 0, 1]
    assert labelled[1].mask[5].tolist() == [[1, IGNORE], [0, 1]]
    assert np.all(labelled[0].mask[3] == 1)


def test_pseudo_label_exams_negative_slices_are_background() -> None:
    exams = [Exam("a", np.zeros((2, 2, 2), np.float32))]
    probabilities = [np.full((2, 2, 2), 0.9, np.float32)]

    labelled = pseudo_label_exams(exams, probabilities, [np.array([0.9, 0.1])], NoisyStudentConfig(top_fraction=0.5))
    kept = pseudo_label_exams(
        exams, probabilities, [np.array([0.9, 0.1])], NoisyStudentConfig(top_fraction=0.5, negative_slices_background=False)
    )

    assert np.all(labelled[0].mask[1] == 0)
    assert np.all(kept[0].mask[1] == 1)


def test_pseudo_label_exams_shape_mismatch_raises() -> None:
    exams = [Exam("a", np.zeros((2, 2, 2), np.float32))]

    with pytest.raises(ValueError, match="do not match"):
        pseudo_label_exams(exams, [np.zeros((3, 2, 2))], [np.zeros(3)], NoisyStudentConfig())


def test_batch_mix_is_six_to_four() -> None:
    sampler = MixedBatchSampler(labelled_size=50, pseudo_size=500, batch_size=16, labelled_fraction=0.6, seed=3)

    counts = []
    for step in range(20):
        batch = sampler.batch(step)
        labelled = [p for p in batch if p < 50]
        counts.append(len(labelled))
        assert len(batch) == 16
        assert all(50 <= p < 550 for p in batch if p >= 50)
        assert len(set(batch)) == 16

    # 16 * 0.6 = 9.6: every batch takes 9 or 10, and every 5 batches take exactly 48 of 80.
    assert set(counts) == {9, 10}
    assert [sum(counts[i : i + 5]) for i in range(0, 20, 5)] == [48, 48, 48, 48]
    assert sum(counts) / (16 * 20) == 0.6


def test_batch_mix_whole_share_is_constant() -> None:
    sampler = MixedBatchSampler(labelled_size=50, pseudo_size=50, batch_size=10, labelled_fraction=0.6, seed=0)

    assert [sampler.labelled_count(step) for step in range(6)] == [6] * 6


def test_batch_mix_fraction_is_parameter() -> None:
    sampler = MixedBatchSampler(labelled_size=50, pseudo_size=50, batch_size=10, labelled_fraction=0.3, seed=0)

    assert sum(p < 50 for p in sampler.batch(0)) == 3


def test_batch_mix_without_pseudo_labels_is_all_labelled() -> None:
    sampler = MixedBatchSampler(labelled_size=5, pseudo_size=0, batch_size=16, labelled_fraction=0.6, seed=0)

    batch = sampler.batch(0)

    assert len(batch) == 16
    assert all(p < 5 for p in batch)


def test_batch_depends_only_on_seed_and_step() -> None:
    first = MixedBatchSampler(30, 30, seed=9)
    second = MixedBatchSampler(30, 30, seed=9)

    assert [first.batch(s) for s in (0, 1, 7)] == [second.batch(s) for s in (0, 1, 7)]
    assert first.batch(0) != first.batch(1)


def test_batch_mix_empty_labelled_set_raises() -> None:
    with pytest.raises(ValueError, match="labelled set is empty"):
        MixedBatchSampler(0, 10)
