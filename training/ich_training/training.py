"""The training loop: fixed-seed batches, resumable checkpoints written atomically."""

from __future__ import annotations

import dataclasses
import logging
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import torch

from .data.dataset import SliceDataset
from .losses import patchfcn_loss
from .model import PatchFcn, PatchFcnConfig, Window
from .noisy_student import MixedBatchSampler

LOGGER = logging.getLogger(__name__)

CHECKPOINT_NAME = "checkpoint.pt"


@dataclass(frozen=True)
class OptimisationConfig:
    """Optimiser and schedule settings."""

    steps: int = 2000
    batch_size: int = 16
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    image_loss_weight: float = 1.0
    checkpoint_every: int = 100
    log_every: int = 10

    def __post_init__(self) -> None:
        for name in ("steps", "batch_size", "checkpoint_every", "log_every"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")


def collate(dataset: SliceDataset, positions: Sequence[int], seed: int, step: int) -> tuple[torch.Tensor, ...]:
    """Draw the samples of one batch; sample ``j`` of step ``step`` always gets the same random draw."""
    samples = [dataset.sample(p, np.random.default_rng([seed, step, j])) for j, p in enumerate(positions)]
    return tuple(torch.stack(parts) for parts in zip(*samples))


def _model_config_to_dict(config: PatchFcnConfig) -> dict:
    return dataclasses.asdict(config)


def model_config_from_dict(values: dict) -> PatchFcnConfig:
    values = dict(values)
    values["windows"] = tuple(Window(**w) for w in values.get("windows", ()))
    return PatchFcnConfig(**values)


def save_checkpoint(path: Path, model: PatchFcn, optimiser: Optional[torch.optim.Optimizer], step: int) -> None:
    """Write a checkpoint atomically: a crash leaves the previous checkpoint intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model_config": _model_config_to_dict(model.config),
        "model": model.state_dict(),
        "optimiser": optimiser.state_dict() if optimiser is not None else None,
        "step": step,
        "torch_rng": torch.get_rng_state(),
        "numpy_rng": np.random.get_state(),
        "python_rng": random.getstate(),
    }
    temporary = path.with_suffix(path.suffix + ".tmp")
    torch.save(state, temporary)
    os.replace(temporary, path)


def load_checkpoint(path: Path) -> dict:
    """Read a checkpoint written by :func:`save_checkpoint`."""
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} not found; train that model first or fix the path")
    # NOTE: weights_only=False is needed for the RNG states; load only checkpoints this code wrote.
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # torch < 1.13 has no weights_only argument
        return torch.load(path, map_location="cpu")


def load_model(path: Path) -> PatchFcn:
    """Build a model from a checkpoint's configuration and weights."""
    state = load_checkpoint(path)
    model = PatchFcn(model_config_from_dict(state["model_config"]))
    model.load_state_dict(state["model"])
    return model


def train(
    model: PatchFcn,
    dataset: SliceDataset,
    sampler: MixedBatchSampler,
    config: OptimisationConfig,
    seed: int,
    checkpoint_dir: Optional[Path] = None,
    resume: bool = True,
) -> PatchFcn:
    """Train for ``config.steps`` steps, resuming from ``checkpoint_dir`` when it contains a checkpoint."""
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    start = 0
    checkpoint = checkpoint_dir / CHECKPOINT_NAME if checkpoint_dir is not None else None
    if checkpoint is not None and resume and checkpoint.is_file():
        state = load_checkpoint(checkpoint)
        if state["model_config"] != _model_config_to_dict(model.config):
            raise ValueError(
                f"checkpoint {checkpoint} was written for model settings {state['model_config']}, "
                f"not {_model_config_to_dict(model.config)}; use another checkpoint folder or delete it"
            )
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        torch.set_rng_state(state["torch_rng"])
        np.random.set_state(state["numpy_rng"])
        random.setstate(state["python_rng"])
        start = int(state["step"])
        LOGGER.info("resuming from %s at step %d of %d", checkpoint, start, config.steps)

    model.train()
    for step in range(start, config.steps):
        hu, pixel_targets, image_targets = collate(dataset, sampler.batch(step), seed, step)
        pixel_logits, image_logits = model(hu)
        loss = patchfcn_loss(pixel_logits, image_logits, pixel_targets, image_targets, config.image_loss_weight)
        if not torch.isfinite(loss):
            raise FloatingPointError(f"loss is {loss.item()} at step {step}; lower learning_rate and retrain")
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        done = step + 1
        if done % config.log_every == 0 or done == config.steps:
            LOGGER.info("step %d/%d loss %.4f", done, config.steps, loss.item())
        if checkpoint is not None and (done % config.checkpoint_every == 0 or done == config.steps):
            save_checkpoint(checkpoint, model, optimiser, done)
    return model
