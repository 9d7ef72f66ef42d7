from pathlib import Path

import numpy as np
import pytest
import torch

from ich_training.data.augment import AugmentationConfig
from ich_training.data.dataset import SliceDataset
from ich_training.losses import masked_bce, patchfcn_loss
from ich_training.model import PatchFcn, PatchFcnConfig
from ich_training.noisy_student import MixedBatchSampler
from ich_training.seeding import seed_everything
from ich_training.synthetic import phantom_exams
from ich_training.training import CHECKPOINT_NAME, OptimisationConfig, collate, load_model, train

TINY = PatchFcnConfig(width=0.0625, context_slices=3)


@pytest.fixture(scope="module")
def dataset() -> SliceDataset:
    return SliceDataset(phantom_exams(3, seed=11, slices=4, size=40), 3, 32, AugmentationConfig())


def test_masked_bce_skips_ignored_targets() -> None:
    logits = torch.tensor([0.0, 5.0, -5.0])
    targets = torch.tensor([-1.0, 1.0, 0.0])

    loss = masked_bce(logits, targets)

    expected = torch.nn.functional.binary_cross_entropy_with_logits(logits[1:], targets[1:])
    assert torch.isclose(loss, expected)


def test_masked_bce_all_ignored_is_zero_with_gradient() -> None:
    logits = torch.zeros(4, requires_grad=True)

    loss = masked_bce(logits, torch.full((4,), -1.0))
    loss.backward()

    assert float(loss) == 0.0
    assert logits.grad is not None


def test_one_step_lowers_loss_on_tiny_batch(dataset: SliceDataset) -> None:
    seed_everything(0)
    model = PatchFcn(TINY).train()
    hu, pixel_targets, image_targets = collate(dataset, list(range(8)), seed=0, step=0)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.05)

    before = patchfcn_loss(*model(hu), pixel_targets, image_targets)
    optimiser.zero_grad()
    before.backward()
    optimiser.step()
    with torch.no_grad():
        after = patchfcn_loss(*model(hu), pixel_targets, image_targets)

    assert float(after) < float(before)


def _train(dataset: SliceDataset, steps: int, checkpoint_dir: Path | None, seed: int = 4) -> PatchFcn:
    seed_everything(seed)
    model = PatchFcn(PatchFcnConfig(width=0.0625, context_slices=3, dropout=0.2))
    sampler = MixedBatchSampler(len(dataset), 0, batch_size=4, labelled_fraction=1.0, seed=seed)
    config = OptimisationConfig(steps=steps, batch_size=4, learning_rate=1e-3, checkpoint_every=1)
    return train(model, dataset, sampler, config, seed, checkpoint_dir)


def _same_weights(a: PatchFcn, b: PatchFcn) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_same_seed_gives_same_weights(dataset: SliceDataset) -> None:
    first = _train(dataset, 2, None)
    second = _train(dataset, 2, None)

    assert _same_weights(first, second)


def test_other_seed_gives_other_weights(dataset: SliceDataset) -> None:
    assert not _same_weights(_train(dataset, 2, None, seed=4), _train(dataset, 2, None, seed=5))


def test_resumed_run_matches_uninterrupted_run(dataset: SliceDataset, tmp_path: Path) -> None:
    uninterrupted = _train(dataset, 3, None)
    _train(dataset, 2, tmp_path)
    # Disturb every generator, as a new process would have them, before resuming.
    torch.manual_seed(999)
    np.random.seed(999)

    resumed = _train(dataset, 3, tmp_path, seed=4)

    assert _same_weights(uninterrupted, resumed)
    assert _same_weights(resumed, load_model(tmp_path / CHECKPOINT_NAME))


def test_resume_with_other_model_settings_raises(dataset: SliceDataset, tmp_path: Path) -> None:
    _train(dataset, 1, tmp_path)
    model = PatchFcn(PatchFcnConfig(width=0.03125))
    sampler = MixedBatchSampler(len(dataset), 0, batch_size=4, labelled_fraction=1.0)

    with pytest.raises(ValueError, match="written for model settings"):
        train(model, dataset, sampler, OptimisationConfig(steps=2, batch_size=4), 0, tmp_path)


def test_missing_checkpoint_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="train that model first"):
        load_model(tmp_path / CHECKPOINT_NAME)
