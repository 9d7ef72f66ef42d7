"""Golden vectors: small seeded models exported to ONNX with inputs and PyTorch outputs in JSON.

The C# tests run each model with ONNX Runtime on the stored inputs and compare with the stored
outputs. The JSON layout is documented in tests/data/golden/README.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .contract import INPUT_NAME, PIXEL_OUTPUT_NAME, SLICE_OUTPUT_NAME, ExportConfig, OperatingPoint, build_contract
from .export import export_onnx
from .model import PatchFcn, PatchFcnConfig, PatchFcnProbabilities
from .seeding import seed_everything

GOLDEN_FORMAT = "ich-golden-vectors/1"
GOLDEN_TOLERANCE = 1e-4


@dataclass(frozen=True)
class GoldenSpec:
    """One golden model: its architecture, the seed of its random weights, and the input shapes to store."""

    name: str
    width: float
    context_slices: int
    seed: int
    input_shapes: tuple[tuple[int, int, int, int], ...]


GOLDEN_SPECS = (
    GoldenSpec("patchfcn-w0.0625-s3", 0.0625, 3, seed=101, input_shapes=((2, 3, 32, 40), (1, 3, 48, 24))),
    GoldenSpec("patchfcn-w0.03125-s1", 0.03125, 1, seed=202, input_shapes=((3, 1, 24, 16),)),
)


def randomise_batch_norm(model: torch.nn.Module, generator: torch.Generator) -> None:
    """Give every BatchNorm non-trivial statistics and affine weights, so a mistake in their export shows."""
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            with torch.no_grad():
                module.running_mean.copy_(torch.randn(module.num_features, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(module.num_features, generator=generator) + 0.5)
                module.weight.copy_(torch.rand(module.num_features, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(module.num_features, generator=generator) * 0.1)


def head_ct_like_input(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Integer HU in 4x4 blocks of air, fat, brain, blood and bone, so every window gets values inside its range.

    ``shape`` is ``[N, S, H, W]`` with H and W multiples of 4.
    """
    n, s, h, w = shape
    ranges = np.array([[-1024, -1000], [-120, -60], [0, 60], [50, 100], [300, 1900]])
    kinds = rng.integers(0, len(ranges), size=(n, s, h // 4, w // 4)).repeat(4, axis=2).repeat(4, axis=3)
    return rng.integers(ranges[kinds, 0], ranges[kinds, 1] + 1).astype(np.float32)


def _tensor_json(array: np.ndarray) -> str:
    values = ",".join(f"{v:.9g}" for v in array.ravel().tolist())
    return f'{{"shape":{json.dumps(list(array.shape))},"data":[{values}]}}'


def build_golden_model(spec: GoldenSpec) -> PatchFcn:
    """Build the seeded random-weight model of ``spec``."""
    generator = seed_everything(spec.seed)
    model = PatchFcn(PatchFcnConfig(width=spec.width, context_slices=spec.context_slices))
    randomise_batch_norm(model, generator)
    return model.eval()


def write_golden(spec: GoldenSpec, folder: Path) -> tuple[Path, Path]:
    """Export ``spec``'s model and write its golden vectors; returns the two paths."""
    model = build_golden_model(spec)
    export = ExportConfig(
        model_name=spec.name,
        model_version="0.0.0-golden",
        intended_use="Test fixture with random weights for checking ONNX Runtime against PyTorch. Detects nothing.",
        operating_points=(OperatingPoint("default", 0.5), OperatingPoint("high_sensitivity", 0.2)),
    )
    model_path = folder / f"{spec.name}.onnx"
    export_onnx(model, build_contract(model.config, export), model_path)

    rng = np.random.default_rng(spec.seed)
    wrapper = PatchFcnProbabilities(model).eval()
    cases = []
    for shape in spec.input_shapes:
        hu = head_ct_like_input(shape, rng)
        with torch.no_grad():
            pixel, slice_probability = wrapper(torch.from_numpy(hu))
        cases.append(
            f'{{"inputs":{{"{INPUT_NAME}":{_tensor_json(hu)}}},'
            f'"outputs":{{"{PIXEL_OUTPUT_NAME}":{_tensor_json(pixel.numpy())},'
            f'"{SLICE_OUTPUT_NAME}":{_tensor_json(slice_probability.numpy())}}}}}'
        )
    header: dict[str, Any] = {
        "format": GOLDEN_FORMAT,
        "model": model_path.name,
        "tolerance": GOLDEN_TOLERANCE,
        "torch_version": torch.__version__,
    }
    vectors_path = folder / f"{spec.name}.golden.json"
    vectors_path.write_text(json.dumps(header)[:-1] + ',"cases":[' + ",\n".join(cases) + "]}\n", encoding="utf-8")
    return model_path, vectors_path


def write_all_golden(folder: Path) -> list[Path]:
    """Write every model of :data:`GOLDEN_SPECS` and its vectors into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec in GOLDEN_SPECS:
        written.extend(write_golden(spec, folder))
    return written
