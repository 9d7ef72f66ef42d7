"""Exams in memory and the training slices drawn from them: context stacks, crops and targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch

from .augment import AugmentationConfig, augment
from .dicom_series import AIR_HU

# Target value for pixels and images the loss ignores: unlabelled, or in the pseudo-label band.
IGNORE = -1


@dataclass
class Exam:
    """One CT series with whatever labels it has.

    ``mask`` is int8 ``[Z, H, W]`` with 1 hemorrhage, 0 background and -1 ignored, or None when the
    exam has no pixel labels. ``slice_labels`` is int8 ``[Z]`` with -1 for unknown. When it is None,
    it is derived from the mask: a slice is positive when any pixel is.
    """

    exam_id: str
    hu: np.ndarray
    mask: Optional[np.ndarray] = None
    slice_labels: Optional[np.ndarray] = None

    def __post_init__(self) -> None:
        if self.hu.ndim != 3:
            raise ValueError(f"exam {self.exam_id}: HU volume must be [Z, H, W], got shape {self.hu.shape}")
        if self.mask is not None and self.mask.shape != self.hu.shape:
            raise ValueError(f"exam {self.exam_id}: mask shape {self.mask.shape} differs from HU shape {self.hu.shape}")
        if self.slice_labels is None and self.mask is not None:
            self.slice_labels = self.mask.reshape(self.mask.shape[0], -1).max(axis=1).astype(np.int8)
        if self.slice_labels is not None and self.slice_labels.shape != (self.hu.shape[0],):
            raise ValueError(
                f"exam {self.exam_id}: {self.slice_labels.shape[0]} slice labels for {self.hu.shape[0]} slices"
            )

    @property
    def label(self) -> int:
        """Exam label: 1 when any slice is positive, 0 when all are known negative, -1 otherwise."""
        if self.slice_labels is None:
            return IGNORE
        if (self.slice_labels == 1).any():
            return 1
        return 0 if (self.slice_labels == 0).all() else IGNORE


def context_stack(hu: np.ndarray, index: int, context_slices: int) -> np.ndarray:
    """Return ``context_slices`` slices centred on ``index``; slices past either end repeat the end slice."""
    half = context_slices // 2
    indices = np.clip(np.arange(index - half, index + half + 1), 0, hu.shape[0] - 1)
    return hu[indices]


def crop_or_pad(hu: np.ndarray, target: np.ndarray, size: int, top: int, left: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a ``size`` x ``size`` window at (top, left), padding with air and background where it overhangs."""
    s, h, w = hu.shape
    out_hu = np.full((s, size, size), AIR_HU, dtype=np.float32)
    out_target = np.zeros((size, size), dtype=target.dtype)
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + size, h), min(left + size, w)
    out_hu[:, y0 - top : y1 - top, x0 - left : x1 - left] = hu[:, y0:y1, x0:x1]
    out_target[y0 - top : y1 - top, x0 - left : x1 - left] = target[y0:y1, x0:x1]
    return out_hu, out_target


def _crop_origin(length: int, size: int, rng: np.random.Generator) -> int:
    """Pick a random crop start along an axis longer than ``size``, or centre the padding on a shorter one."""
    if length > size:
        return int(rng.integers(0, length - size + 1))
    return (length - size) // 2


def _lesion_crop_origin(
    target: np.ndarray, size: int, rng: np.random.Generator, fallback: tuple[int, int]
) -> tuple[int, int]:
    """Place a crop so that a random lesion pixel lies in its middle half, or return ``fallback`` without lesion."""
    ys, xs = np.nonzero(target == 1)
    if ys.size == 0:
        return fallback
    pick = int(rng.integers(0, ys.size))
    quarter = size // 4
    top = int(ys[pick]) - size // 2 + int(rng.integers(-quarter, quarter + 1))
    left = int(xs[pick]) - size // 2 + int(rng.integers(-quarter, quarter + 1))
    return top, left


class SliceDataset:
    """Every slice of a set of exams as a training sample.

    With ``lesion_crop_probability`` above zero, that share of the crops of slices with lesion
    pixels is placed on a lesion, so that sparse hemorrhage is seen often enough to learn.
    A sample is ``(hu [S, crop, crop], pixel_target [1, crop, crop], image_target [])`` as float32
    tensors, with -1 where the loss ignores the target. Randomness comes from the ``rng`` passed
    per draw, so a run is repeatable whatever order the samples are drawn in.
    """

    def __init__(
        self,
        exams: Sequence[Exam],
        context_slices: int,
        crop_size: int,
        augmentation: AugmentationConfig = AugmentationConfig(),
        lesion_crop_probability: float = 0.0,
    ) -> None:
        if not 0.0 <= lesion_crop_probability <= 1.0:
            raise ValueError(f"lesion_crop_probability must be in [0, 1], got {lesion_crop_probability}")
        if crop_size % 8 != 0:
            raise ValueError(f"crop_size must be a multiple of 8 (the network's output stride), got {crop_size}")
        self.exams = list(exams)
        self.context_slices = context_slices
        self.crop_size = crop_size
        self.augmentation = augmentation
        self.lesion_crop_probability = lesion_crop_probability
        self.index = [(e, z) for e, exam in enumerate(self.exams) for z in range(exam.hu.shape[0])]

    def __len__(self) -> int:
        return len(self.index)

    def slice_label(self, position: int) -> int:
        exam_index, z = self.index[position]
        labels = self.exams[exam_index].slice_labels
        return IGNORE if labels is None else int(labels[z])

    def sample(self, position: int, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        exam_index, z = self.index[position]
        exam = self.exams[exam_index]
        hu = context_stack(exam.hu, z, self.context_slices)
        if exam.mask is not None:
            target = exam.mask[z].astype(np.int8)
        else:
            target = np.full(exam.hu.shape[1:], IGNORE, dtype=np.int8)

        _, h, w = hu.shape
        top = _crop_origin(h, self.crop_size, rng)
        left = _crop_origin(w, self.crop_size, rng)
        if self.lesion_crop_probability > 0.0 and rng.random() < self.lesion_crop_probability:
            top, left = _lesion_crop_origin(target, self.crop_size, rng, (top, left))
        hu, target = crop_or_pad(hu, target, self.crop_size, top, left)

        hu_tensor, target_tensor = augment(
            torch.from_numpy(hu), torch.from_numpy(target.astype(np.float32)), self.augmentation, rng
        )
        image_target = torch.tensor(float(crop_label(self.slice_label(position), target_tensor)))
        return hu_tensor.contiguous(), target_tensor[None].contiguous(), image_target


def crop_label(slice_label: int, crop_target: torch.Tensor) -> int:
    """Return the image target of a crop: what its pixels show where they are labelled.

    A positive slice's crop that misses the lesion shows no hemorrhage, so labelling it positive
    would teach the image head to fire on normal tissue. Such a crop is negative when every pixel
    is labelled, and ignored when some are not (the lesion may lie in the unlabelled part). A
    slice without pixel labels keeps its slice label.
    """
    if slice_label != 1 or bool((crop_target > 0.5).any()):
        return slice_label
    if bool((crop_target == IGNORE).all()):
        return slice_label
    return IGNORE if bool((crop_target < 0).any()) else 0
