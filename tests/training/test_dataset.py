import numpy as np
import pytest
import torch

from ich_training.data.augment import AugmentationConfig, adjust_contrast, augment, scale_slices
from ich_training.data.dataset import IGNORE, Exam, SliceDataset, context_stack, crop_label, crop_or_pad

NO_AUGMENTATION = AugmentationConfig(enabled=False)


def test_context_stack_repeats_end_slices() -> None:
    hu = np.arange(4, dtype=np.float32)[:, None, None] * np.ones((1, 2, 2), np.float32)

    assert context_stack(hu, 0, 3)[:, 0, 0].tolist() == [0, 0, 1]
    assert context_stack(hu, 3, 5)[:, 0, 0].tolist() == [1, 2, 3, 3, 3]


def test_crop_or_pad_fills_air_and_background() -> None:
    hu = np.zeros((1, 4, 4), np.float32)
    target = np.ones((4, 4), np.int8)

    out_hu, out_target = crop_or_pad(hu, target, 8, -2, -2)

    assert out_hu.shape == (1, 8, 8)
    assert out_target.shape == (8, 8)
    assert out_hu[0, 0, 0] == -1024
    assert out_hu[0, 2, 2] == 0
    assert out_target.sum() == 16


def test_sample_shapes_and_targets() -> None:
    mask = np.zeros((3, 40, 40), np.int8)
    mask[1, 10:20, 10:20] = 1
    dataset = SliceDataset([Exam("e", np.zeros((3, 40, 40), np.float32), mask=mask)], 3, 48, NO_AUGMENTATION)

    hu, pixel, image = dataset.sample(1, np.random.default_rng(0))

    assert hu.shape == (3, 48, 48)
    assert pixel.shape == (1, 48, 48)
    assert image.shape == ()
    assert float(image) == 1.0
    assert float(pixel.sum()) == 100.0


def test_sample_without_mask_ignores_pixels() -> None:
    exam = Exam("e", np.zeros((2, 16, 16), np.float32), slice_labels=np.array([0, 1], np.int8))
    dataset = SliceDataset([exam], 1, 16, NO_AUGMENTATION)

    _, pixel, image = dataset.sample(1, np.random.default_rng(0))

    assert torch.all(pixel == IGNORE)
    assert float(image) == 1.0


def test_crop_that_misses_the_lesion_is_negative() -> None:
    mask = np.zeros((1, 64, 64), np.int8)
    mask[0, 0:4, 0:4] = 1
    dataset = SliceDataset([Exam("e", np.zeros((1, 64, 64), np.float32), mask=mask)], 1, 16, NO_AUGMENTATION)
    rng = next(np.random.default_rng(seed) for seed in range(100) if _crop_misses_corner(seed))

    _, pixel, image = dataset.sample(0, rng)

    assert float(pixel.sum()) == 0.0
    assert float(image) == 0.0


def _crop_misses_corner(seed: int) -> bool:
    # The crop origin is the first draw of the sample's generator; (0, 0)..(3, 3) is the lesion.
    rng = np.random.default_rng(seed)
    return int(rng.integers(0, 49)) >= 4 or int(rng.integers(0, 49)) >= 4


def test_crop_label_ignores_a_partly_unlabelled_crop_without_lesion() -> None:
    target = torch.zeros(8, 8)
    target[:2] = IGNORE

    assert crop_label(1, target) == IGNORE


def test_crop_label_keeps_positive_and_negative_slices() -> None:
    lesion = torch.zeros(8, 8)
    lesion[3, 3] = 1.0

    assert crop_label(1, lesion) == 1
    assert crop_label(0, torch.zeros(8, 8)) == 0
    assert crop_label(1, torch.full((8, 8), float(IGNORE))) == 1


def test_lesion_crops_always_contain_the_lesion() -> None:
    mask = np.zeros((1, 128, 128), np.int8)
    mask[0, 100:104, 100:104] = 1
    exam = Exam("e", np.zeros((1, 128, 128), np.float32), mask=mask)
    dataset = SliceDataset([exam], 1, 32, NO_AUGMENTATION, lesion_crop_probability=1.0)

    hits = [float(dataset.sample(0, np.random.default_rng(seed))[1].sum()) > 0 for seed in range(20)]

    assert all(hits)


def test_lesion_crop_probability_outside_unit_interval_is_rejected() -> None:
    with pytest.raises(ValueError, match="lesion_crop_probability must be in"):
        SliceDataset([], 3, 32, lesion_crop_probability=1.5)


def test_crop_size_must_be_stride_multiple() -> None:
    with pytest.raises(ValueError, match="multiple of 8"):
        SliceDataset([], 3, 30)


def test_same_rng_gives_same_sample() -> None:
    rng = np.random.default_rng(5)
    exam = Exam("e", rng.normal(30, 10, (3, 64, 64)).astype(np.float32), mask=(rng.random((3, 64, 64)) > 0.9).astype(np.int8))
    dataset = SliceDataset([exam], 3, 32)

    first = dataset.sample(1, np.random.default_rng([1, 2]))
    second = dataset.sample(1, np.random.default_rng([1, 2]))

    assert all(torch.equal(a, b) for a, b in zip(first, second))


def test_augment_flip_mirrors_hu_and_target() -> None:
    config = AugmentationConfig(
        scale_range=(1, 1), aspect_range=(1, 1), flip_probability=1.0, contrast_range=(1, 1), shift_range_hu=(0, 0), gamma_range=(1, 1)
    )
    hu = torch.arange(16, dtype=torch.float32).view(1, 4, 4) + 200
    target = torch.zeros(4, 4)
    target[0, 0] = 1

    out_hu, out_target = augment(hu, target, config, np.random.default_rng(0))

    assert torch.allclose(out_hu, torch.flip(hu, dims=[-1]))
    assert out_target[0, 3] == 1
    assert out_target.sum() == 1


def test_scale_enlarges_target_and_keeps_label_values() -> None:
    hu = torch.full((2, 32, 32), 30.0)
    target = torch.zeros(32, 32)
    target[12:20, 12:20] = 1
    target[0, 0] = IGNORE

    out_hu, out_target = scale_slices(hu, target, 1.5, 1.0)

    assert set(out_target.unique().tolist()) <= {IGNORE, 0.0, 1.0}
    assert float((out_target == 1).sum()) == pytest.approx(96, abs=8)
    assert out_hu.shape == hu.shape


def test_scale_down_fills_with_air() -> None:
    out_hu, _ = scale_slices(torch.full((1, 16, 16), 30.0), torch.zeros(16, 16), 0.5, 0.5)

    assert float(out_hu[0, 0, 0]) == pytest.approx(-1024.0)
    assert float(out_hu[0, 8, 8]) == pytest.approx(30.0)


def test_contrast_gamma_bends_brain_range_only() -> None:
    config = AugmentationConfig()
    hu = torch.tensor([-1024.0, 0.0, 25.0, 100.0, 1000.0])

    out = adjust_contrast(hu, config, contrast=1.0, shift=0.0, gamma=2.0)

    assert out.tolist() == pytest.approx([-1024.0, 0.0, 6.25, 100.0, 1000.0])


def test_contrast_window_jitter_is_linear_about_centre() -> None:
    config = AugmentationConfig(gamma_low_hu=500, gamma_high_hu=501)
    hu = torch.tensor([40.0, 140.0])

    out = adjust_contrast(hu, config, contrast=1.1, shift=5.0, gamma=1.0)

    assert out.tolist() == pytest.approx([45.0, 155.0])


def test_augmentation_invalid_range_raises() -> None:
    with pytest.raises(ValueError, match="scale_range"):
        AugmentationConfig(scale_range=(1.2, 0.8))
