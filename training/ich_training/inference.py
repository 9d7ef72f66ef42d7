"""Whole-slice inference over an exam, as the served model runs it."""

from __future__ import annotations

import numpy as np
import torch

from .data.dataset import Exam, context_stack
from .model import OUTPUT_STRIDE, PatchFcn


def pad_to_stride(hu: torch.Tensor, air_hu: float = -1024.0) -> tuple[torch.Tensor, int, int]:
    """Pad ``[N, S, H, W]`` with air at the bottom and right to multiples of the output stride."""
    h, w = hu.shape[-2:]
    pad_h, pad_w = (-h) % OUTPUT_STRIDE, (-w) % OUTPUT_STRIDE
    if pad_h or pad_w:
        hu = torch.nn.functional.pad(hu, (0, pad_w, 0, pad_h), value=air_hu)
    return hu, h, w


@torch.no_grad()
def predict_exam(model: PatchFcn, exam: Exam, batch_size: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Return pixel probabilities float32 ``[Z, H, W]`` and slice probabilities float32 ``[Z]``."""
    was_training = model.training
    model.eval()
    pixel_parts, slice_parts = [], []
    try:
        for start in range(0, exam.hu.shape[0], batch_size):
            stop = min(start + batch_size, exam.hu.shape[0])
            stacks = np.stack([context_stack(exam.hu, z, model.config.context_slices) for z in range(start, stop)])
            hu, h, w = pad_to_stride(torch.from_numpy(stacks.astype(np.float32)))
            pixel_logits, image_logits = model(hu)
            pixel_parts.append(torch.sigmoid(pixel_logits[:, 0, :h, :w]).numpy())
            slice_parts.append(torch.sigmoid(image_logits).numpy())
    finally:
        model.train(was_training)
    return np.concatenate(pixel_parts), np.concatenate(slice_parts)
