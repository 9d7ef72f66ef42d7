from pathlib import Path

import pytest

from ich_training.config import ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "training" / "examples" / "example-config.toml"


def test_toml_config_with_every_section(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text(
        """
work_dir = "out"
seed = 3

[model]
width = 0.25
context_slices = 5
windows = [{name = "brain", level = 40.0, width = 80.0}]

[data]
crop_size = 240
lesion_crop_probability = 0.25
labelled = [{series = "exams/a", nifti_mask = "masks/a.nii.gz"}, {series = "exams/b", seg_mask = "b-seg.dcm"}]
unlabelled = [{series = "exams/c"}]

[teacher]
steps = 10

[noisy_student]
top_fraction = 0.2
labelled_fraction = 0.5

[export]
model_name = "m"
operating_points = {screening = 0.2, balanced = 0.5}
"""
    )

    config = load_config(path)

    assert config.work_dir == tmp_path / "out"
    assert config.model.context_slices == 5
    assert config.model.windows[0].name == "brain"
    assert config.lesion_crop_probability == 0.25
    assert config.labelled[0].series == tmp_path / "exams" / "a"
    assert config.labelled[0].nifti_mask == tmp_path / "masks" / "a.nii.gz"
    assert config.labelled[1].seg_mask == tmp_path / "b-seg.dcm"
    assert config.teacher.steps == 10
    assert config.teacher.batch_size == 16
    assert config.noisy_student.top_fraction == 0.2
    assert config.noisy_student.positive_threshold == 0.7
    assert [(p.name, p.threshold) for p in config.export.operating_points] == [("screening", 0.2), ("balanced", 0.5)]


def test_defaults_when_sections_are_absent(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    path.write_text('{"work_dir": "w"}')

    config = load_config(path)

    assert config.crop_size == 240
    assert config.lesion_crop_probability == 0.0
    assert config.teacher.batch_size == 16
    assert config.evaluation.resamples == 1000
    assert config.evaluation.confidence == 0.95


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"work_dir": "w", "model": {"widht": 1}}', r"unknown keys \['widht'\]"),
        ('{"work_dir": "w", "colour": 1}', r"unknown keys \['colour'\]"),
        ('{"model": {}}', "work_dir is missing"),
        ('{"work_dir": "w", "noisy_student": {"top_fraction": 2}}', "top_fraction must be in"),
        ('{"work_dir": "w", "data": {"labelled": [{"series": "a", "nifti_mask": "m", "seg_mask": "s"}]}}', "at most one"),
    ],
)
def test_invalid_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "run.json"
    path.write_text(text)

    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_other_suffix_raises(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("work_dir: w")

    with pytest.raises(ConfigError, match=".toml or .json"):
        load_config(path)


def test_example_config_loads() -> None:
    config = load_config(EXAMPLE)

    assert config.export.not_for_clinical_use
