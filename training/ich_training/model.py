"""PatchFCN: a DRN-D-38 backbone with a segmentation head and a classification head.

The network takes Hounsfield units and does its own windowing and normalisation, so training and
serving share one preprocessing. Input ``hu`` is float32 ``[N, S, H, W]``: S context slices centred
on the scored slice, H and W multiples of 8. Each slice is mapped through every window of
:data:`DEFAULT_WINDOWS`, giving ``S * len(windows)`` input channels ordered slice-major
(slice 0 brain, slice 0 subdural, slice 0 bone, slice 1 brain, ...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

# Backbone channels of DRN-D-38 at full width: 7x7 stem, two plain convolutions, four residual
# stages, and two closing convolutions (Yu, Koltun and Funkhouser, "Dilated Residual Networks", 2017).
DRN_D_38_CHANNELS = (16, 16, 32, 64, 128, 256, 512, 512, 512)
DRN_D_38_BLOCKS = (3, 4, 6, 3)
OUTPUT_STRIDE = 8
# Width multipliers the package exports and tests; any positive width works.
STANDARD_WIDTHS = (1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125)


@dataclass(frozen=True)
class Window:
    """A display window in HU: values from ``level - width / 2`` to ``level + width / 2`` map to [-1, 1]."""

    name: str
    level: float
    width: float


DEFAULT_WINDOWS = (
    Window("brain", level=40.0, width=80.0),
    Window("subdural", level=80.0, width=200.0),
    Window("bone", level=600.0, width=2800.0),
)


class HuWindowing(nn.Module):
    """Map HU ``[N, S, H, W]`` to ``[N, S * W, H, W]``: each window clipped to [0, 1], then scaled to [-1, 1]."""

    def __init__(self, windows: Sequence[Window] = DEFAULT_WINDOWS) -> None:
        super().__init__()
        if not windows:
            raise ValueError("at least one window is required")
        for window in windows:
            if window.width <= 0:
                raise ValueError(f"window '{window.name}' has width {window.width}; the width must be positive")
        self.window_count = len(windows)
        lower = torch.tensor([w.level - w.width / 2 for w in windows], dtype=torch.float32)
        width = torch.tensor([w.width for w in windows], dtype=torch.float32)
        self.register_buffer("lower", lower.view(1, 1, -1, 1, 1), persistent=False)
        self.register_buffer("width", width.view(1, 1, -1, 1, 1), persistent=False)

    def forward(self, hu: torch.Tensor) -> torch.Tensor:
        n, s, h, w = hu.shape
        scaled = (hu.unsqueeze(2) - self.lower) / self.width
        windowed = torch.clamp(scaled, 0.0, 1.0) * 2.0 - 1.0
        return windowed.reshape(n, s * self.window_count, h, w)


def scale_channels(channels: int, width: float) -> int:
    """Scale a full-width channel count by ``width``, keeping at least one channel."""
    return max(1, int(round(channels * width)))


def _conv_bn_relu(in_channels: int, out_channels: int, kernel: int, stride: int, dilation: int) -> nn.Sequential:
    padding = dilation * (kernel - 1) // 2
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=padding, dilation=dilation, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class BasicBlock(nn.Module):
    """Residual block of two 3x3 convolutions with their own dilations, as in DRN."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, dilation: tuple[int, int]) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride=stride, padding=dilation[0], dilation=dilation[0], bias=False
        )
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=dilation[1], dilation=dilation[1], bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample: nn.Module = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.downsample(x))


def _residual_stage(in_channels: int, out_channels: int, blocks: int, stride: int, dilation: int) -> nn.Sequential:
    # DRN enters a new dilation level with half the dilation in the first convolution to avoid gridding.
    first = (1, 1) if dilation == 1 else (dilation // 2, dilation)
    layers = [BasicBlock(in_channels, out_channels, stride, first)]
    layers += [BasicBlock(out_channels, out_channels, 1, (dilation, dilation)) for _ in range(blocks - 1)]
    return nn.Sequential(*layers)


class DrnD38(nn.Module):
    """DRN-D-38 feature extractor with output stride 8; ``width`` scales every channel count."""

    def __init__(self, in_channels: int, width: float = 1.0) -> None:
        super().__init__()
        if width <= 0:
            raise ValueError(f"width multiplier must be positive, got {width}")
        c = [scale_channels(x, width) for x in DRN_D_38_CHANNELS]
        self.out_channels = c[8]
        self.stem = _conv_bn_relu(in_channels, c[0], kernel=7, stride=1, dilation=1)
        self.plain1 = _conv_bn_relu(c[0], c[1], kernel=3, stride=1, dilation=1)
        self.plain2 = _conv_bn_relu(c[1], c[2], kernel=3, stride=2, dilation=1)
        self.stage1 = _residual_stage(c[2], c[3], DRN_D_38_BLOCKS[0], stride=2, dilation=1)
        self.stage2 = _residual_stage(c[3], c[4], DRN_D_38_BLOCKS[1], stride=2, dilation=1)
        self.stage3 = _residual_stage(c[4], c[5], DRN_D_38_BLOCKS[2], stride=1, dilation=2)
        self.stage4 = _residual_stage(c[5], c[6], DRN_D_38_BLOCKS[3], stride=1, dilation=4)
        self.closing1 = _conv_bn_relu(c[6], c[7], kernel=3, stride=1, dilation=2)
        self.closing2 = _conv_bn_relu(c[7], c[8], kernel=3, stride=1, dilation=1)
        self._initialise()

    def _initialise(self) -> None:
        # He initialisation over the fan-out, as the DRN reference implementation does.
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                fan_out = module.kernel_size[0] * module.kernel_size[1] * module.out_channels
                nn.init.normal_(module.weight, 0.0, math.sqrt(2.0 / fan_out))
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in (self.stem, self.plain1, self.plain2, self.stage1, self.stage2, self.stage3, self.stage4):
            x = layer(x)
        return self.closing2(self.closing1(x))


@dataclass(frozen=True)
class PatchFcnConfig:
    """Architecture settings saved with every checkpoint and exported into the model contract."""

    width: float = 1.0
    context_slices: int = 3
    dropout: float = 0.0
    windows: tuple[Window, ...] = DEFAULT_WINDOWS

    def __post_init__(self) -> None:
        if self.context_slices < 1 or self.context_slices % 2 == 0:
            raise ValueError(
                f"context_slices must be a positive odd number (slices centred on the scored one), "
                f"got {self.context_slices}"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


class PatchFcn(nn.Module):
    """PatchFCN returning pixel logits ``[N, 1, H, W]`` and image logits ``[N]`` for HU input ``[N, S, H, W]``."""

    def __init__(self, config: PatchFcnConfig = PatchFcnConfig()) -> None:
        super().__init__()
        self.config = config
        self.windowing = HuWindowing(config.windows)
        self.backbone = DrnD38(config.context_slices * len(config.windows), config.width)
        features = self.backbone.out_channels
        # Dropout2d is the model noise of the noisy student; it is inactive in eval mode and in export.
        self.dropout = nn.Dropout2d(config.dropout)
        self.segmentation_head = nn.Conv2d(features, 1, kernel_size=1)
        self.classification_head = nn.Linear(2 * features, 1)

    def forward(self, hu: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if not torch.jit.is_tracing() and (hu.dim() != 4 or hu.shape[-2] % OUTPUT_STRIDE or hu.shape[-1] % OUTPUT_STRIDE):
            raise ValueError(f"input must be [N, S, H, W] with H and W multiples of {OUTPUT_STRIDE}, got {tuple(hu.shape)}")
        features = self.dropout(self.backbone(self.windowing(hu)))
        coarse = self.segmentation_head(features)
        # A fixed scale (not a size read from the input) lets ONNX shape inference keep the channel dim at 1.
        pixel_logits = F.interpolate(coarse, scale_factor=float(OUTPUT_STRIDE), mode="bilinear", align_corners=False)
        pooled = torch.cat(
            (F.adaptive_avg_pool2d(features, 1).flatten(1), F.adaptive_max_pool2d(features, 1).flatten(1)), dim=1
        )
        image_logits = self.classification_head(pooled).squeeze(1)
        return pixel_logits, image_logits


class PatchFcnProbabilities(nn.Module):
    """The served form of PatchFCN: sigmoid probabilities named as in the model contract."""

    def __init__(self, model: PatchFcn) -> None:
        super().__init__()
        self.model = model

    def forward(self, hu: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pixel_logits, image_logits = self.model(hu)
        return torch.sigmoid(pixel_logits), torch.sigmoid(image_logits)


def count_parameters(module: nn.Module) -> int:
    """Count trainable parameters."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
