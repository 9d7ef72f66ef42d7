"""PatchFCN loss: pixel and image binary cross-entropy, skipping targets marked -1."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def masked_bce(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy over the elements whose target is not -1; zero when there are none."""
    valid = targets >= 0
    if not bool(valid.any()):
        return logits.sum() * 0.0
    return F.binary_cross_entropy_with_logits(logits[valid], targets[valid])


def patchfcn_loss(
    pixel_logits: torch.Tensor,
    image_logits: torch.Tensor,
    pixel_targets: torch.Tensor,
    image_targets: torch.Tensor,
    image_weight: float = 1.0,
) -> torch.Tensor:
    """Pixel loss plus ``image_weight`` times the image loss."""
    return masked_bce(pixel_logits, pixel_targets) + image_weight * masked_bce(image_logits, image_targets)
