import numpy as np
import pytest
import torch

from ich_training.seeding import seed_everything


def test_seed_everything_repeats_torch_and_numpy_draws() -> None:
    seed_everything(1234)
    first = (torch.rand(8), np.random.rand(8))
    seed_everything(1234)
    second = (torch.rand(8), np.random.rand(8))

    assert torch.equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])


def test_seed_everything_different_seeds_differ() -> None:
    seed_everything(1)
    first = torch.rand(8)
    seed_everything(2)
    second = torch.rand(8)

    assert not torch.equal(first, second)


def test_seed_everything_returns_seeded_generator() -> None:
    generator = seed_everything(7)
    expected = torch.Generator().manual_seed(7)

    assert torch.equal(torch.rand(4, generator=generator), torch.rand(4, generator=expected))


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_seed_everything_out_of_range_raises(seed: int) -> None:
    with pytest.raises(ValueError, match="seed must be in"):
        seed_everything(seed)
