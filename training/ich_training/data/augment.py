"""Training augmentations on HU slices: contrast (window and gamma jitter), head size and aspect-ratio scaling, flips.

The network windows HU itself, so contrast jitter acts on HU. A linear change of the HU scale around
a centre is the same as moving and widening every window the network applies. Gamma bends the
brain range (``gamma_low_hu`` to ``gamma_high_hu``) and leaves the ends of that range in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .dicom_series import AIR_HU


@dataclass(frozen=True)
class AugmentationConfig:
    """Ranges the augmentations draw from uniformly; set ``enabled`` false for none at all."""

    enabled: bool = True
    # Head size: one isotropic factor; aspect ratio: an extra factor on the width only.
    scale_range: tuple[float, float] = (0.85, 1.15)
    aspect_range: tuple[float, float] = (0.9, 1.1)
    flip_probability: float = 0.5
    # Window jitter: HU scale factor around ``contrast_centre_hu`` and an HU shift.
    contrast_range: tuple[float, float] = (0.9, 1.1)
    contrast_centre_hu: float = 40.0
    shift_range_hu: tuple[float, float] = (-10.0, 10.0)
    gamma_range: tuple[float, float] = (0.8, 1.25)
    gamma_low_hu: float = 0.0
    gamma_high_hu: float = 100.0

    def __post_init__(self) -> None:
        for name in ("scale_range", "aspect_range", "contrast_range", "gamma_range", "shift_range_hu"):
            low, high = getattr(self, name)
            if low > high:
                raise ValueError(f"augmentation {name} must be (low, high) with low <= high, got ({low}, {high})")
        for name in ("scale_range", "aspect_range", "contrast_range", "gamma_range"):
            if getattr(self, name)[0] <= 0:
                raise ValueError(f"augmentation {name} must be positive, got {getattr(self, name)}")
        if not 0.0 <= self.flip_probability <= 1.0:
            raise ValueError(f"flip_probability must be in [0, 1], got {self.flip_probability}")
        if self.gamma_high_hu <= self.gamma_low_hu:
            raise ValueError(f"gamma_high_hu ({self.gamma_high_hu}) must exceed gamma_low_hu ({self.gamma_low_hu})")


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def scale_slices(hu: torch.Tensor, target: torch.Tensor, scale_y: float, scale_x: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Scale image content about the centre, keeping the size; HU is bilinear, the target nearest.

    ``hu`` is ``[S, H, W]`` and ``target`` ``[H, W]``; uncovered pixels become air and background.
    """
    theta = torch.tensor([[1.0 / scale_x, 0.0, 0.0], [0.0, 1.0 / scale_y, 0.0]], dtype=torch.float32)[None]
    grid = F.affine_grid(theta, [1, 1, hu.shape[-2], hu.shape[-1]], align_corners=False)
    # grid_sample fills with zeros, so shift air to zero first.
    scaled_hu = F.grid_sample((hu - AIR_HU)[None], grid, mode="bilinear", align_corners=False)[0] + AIR_HU
    scaled_target = F.grid_sample(target[None, None].float(), grid, mode="nearest", align_corners=False)[0, 0]
    return scaled_hu, scaled_target.to(target.dtype)


def adjust_contrast(hu: torch.Tensor, config: AugmentationConfig, contrast: float, shift: float, gamma: float) -> torch.Tensor:
    """Apply window jitter (``contrast`` about the centre, then ``shift``) and gamma in the brain range."""
    hu = (hu - config.contrast_centre_hu) * contrast + config.contrast_centre_hu + shift
    low, high = config.gamma_low_hu, config.gamma_high_hu
    inside = (hu > low) & (hu < high)
    bent = low + (high - low) * torch.clamp((hu - low) / (high - low), 0.0, 1.0) ** gamma
    return torch.where(inside, bent, hu)


def augment(
    hu: torch.Tensor, target: torch.Tensor, config: AugmentationConfig, rng: np.random.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply one random draw of every augmentation to HU ``[S, H, W]`` and its pixel target ``[H, W]``."""
    if not config.enabled:
        return hu, target
    scale = _uniform(rng, config.scale_range)
    aspect = _uniform(rng, config.aspect_range)
    flip = bool(rng.random() < config.flip_probability)
    contrast = _uniform(rng, config.contrast_range)
    shift = _uniform(rng, config.shift_range_hu)
    gamma = _uniform(rng, config.gamma_range)

    hu, target = scale_slices(hu, target, scale, scale * aspect)
    if flip:
        hu, target = torch.flip(hu, dims=[-1]), torch.flip(target, dims=[-1])
    return adjust_contrast(hu, config, contrast, shift, gamma), target
