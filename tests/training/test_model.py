import pytest
import torch

from ich_training.model import (
    DEFAULT_WINDOWS,
    STANDARD_WIDTHS,
    HuWindowing,
    PatchFcn,
    PatchFcnConfig,
    PatchFcnProbabilities,
    count_parameters,
)


def test_full_width_backbone_has_drn_d_38_size() -> None:
    model = PatchFcn(PatchFcnConfig(width=1.0, context_slices=3))

    backbone = count_parameters(model.backbone)

    # DRN-D-38 without its classifier has 26.0 M parameters; 9 input channels add 4,704 to the stem.
    assert 25.95e6 < backbone < 26.05e6
    assert backbone == 25_993_616


def test_full_width_heads_are_small() -> None:
    model = PatchFcn(PatchFcnConfig(width=1.0))

    heads = count_parameters(model.segmentation_head) + count_parameters(model.classification_head)

    assert heads == (512 + 1) + (1024 + 1)


def test_full_width_forward_shapes() -> None:
    model = PatchFcn(PatchFcnConfig(width=1.0)).eval()

    with torch.no_grad():
        pixel, image = model(torch.zeros(1, 3, 16, 16))

    assert pixel.shape == (1, 1, 16, 16)
    assert image.shape == (1,)


@pytest.mark.parametrize("width", [w for w in STANDARD_WIDTHS if w <= 0.25])
@pytest.mark.parametrize("context_slices", [1, 3, 5])
def test_forward_shapes_match_input(width: float, context_slices: int) -> None:
    model = PatchFcn(PatchFcnConfig(width=width, context_slices=context_slices)).eval()

    with torch.no_grad():
        pixel, image = PatchFcnProbabilities(model)(torch.full((2, context_slices, 40, 24), 40.0))

    assert pixel.shape == (2, 1, 40, 24)
    assert image.shape == (2,)
    assert float(pixel.min()) >= 0.0
    assert float(pixel.max()) <= 1.0


def test_backbone_output_stride_is_8() -> None:
    model = PatchFcn(PatchFcnConfig(width=0.125))

    features = model.backbone(model.windowing(torch.zeros(1, 3, 64, 48)))

    assert features.shape[-2:] == (8, 6)


def test_width_multiplier_keeps_topology() -> None:
    full = PatchFcn(PatchFcnConfig(width=1.0))
    small = PatchFcn(PatchFcnConfig(width=0.25))

    assert [type(m) for m in full.modules()] == [type(m) for m in small.modules()]
    assert 1.5e6 < count_parameters(small.backbone) < 1.75e6


def test_windowing_maps_bounds_to_unit_range() -> None:
    windowing = HuWindowing(DEFAULT_WINDOWS)
    brain = DEFAULT_WINDOWS[0]
    hu = torch.tensor([brain.level - brain.width / 2, brain.level, brain.level + brain.width / 2, 3000.0])

    out = windowing(hu.view(1, 1, 1, 4))

    assert out.shape == (1, len(DEFAULT_WINDOWS), 1, 4)
    assert torch.allclose(out[0, 0, 0], torch.tensor([-1.0, 0.0, 1.0, 1.0]))


def test_windowing_orders_channels_slice_major() -> None:
    windowing = HuWindowing(DEFAULT_WINDOWS)
    hu = torch.tensor([-1024.0, 40.0]).view(1, 2, 1, 1)

    out = windowing(hu).view(-1)

    assert torch.all(out[:3] == -1.0)
    assert out[3] == 0.0


@pytest.mark.parametrize("context_slices", [0, 2, -1])
def test_config_even_context_slices_raises(context_slices: int) -> None:
    with pytest.raises(ValueError, match="context_slices"):
        PatchFcnConfig(context_slices=context_slices)


def test_config_bad_width_raises() -> None:
    with pytest.raises(ValueError, match="width multiplier"):
        PatchFcn(PatchFcnConfig(width=0.0))


def test_input_size_not_multiple_of_stride_raises() -> None:
    model = PatchFcn(PatchFcnConfig(width=0.03125))

    with pytest.raises(ValueError, match="multiples of 8"):
        model(torch.zeros(1, 3, 20, 16))
