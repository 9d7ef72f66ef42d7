import json
from pathlib import Path

import numpy as np
import pytest
import torch
from dicom_factory import write_binary_seg, write_ct_series, write_nifti_mask_ras

from ich_training.cli import main
from ich_training.contract import CONTRACT_PROPERTY
from ich_training.onnx_metadata import read_metadata_properties
from ich_training.synthetic import phantom_exams
from ich_training.training import load_checkpoint


def _write_exams(folder: Path, count: int, seed: int, label: str) -> list[dict]:
    entries = []
    for index, exam in enumerate(phantom_exams(count, seed=seed, slices=4, size=32)):
        series = folder / f"{exam.exam_id}"
        uids = write_ct_series(series, exam.hu)
        entry = {"series": str(series.relative_to(folder.parent)), "exam_id": exam.exam_id}
        if label == "nifti" or (label == "mixed" and index % 2 == 0):
            write_nifti_mask_ras(folder / f"{exam.exam_id}.nii.gz", exam.mask)
            entry["nifti_mask"] = f"{folder.name}/{exam.exam_id}.nii.gz"
        elif label == "mixed":
            write_binary_seg(folder / f"{exam.exam_id}-seg.dcm", exam.mask, uids)
            entry["seg_mask"] = f"{folder.name}/{exam.exam_id}-seg.dcm"
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def run_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    optimisation = {"steps": 2, "batch_size": 4, "learning_rate": 1e-3, "checkpoint_every": 1}
    config = {
        "work_dir": "work",
        "seed": 5,
        "model": {"width": 0.03125, "context_slices": 3},
        "data": {
            "crop_size": 24,
            "labelled": _write_exams(root / "labelled", 3, 1, "mixed"),
            "unlabelled": _write_exams(root / "unlabelled", 3, 2, "none"),
            "test": _write_exams(root / "test", 4, 3, "nifti"),
        },
        "teacher": optimisation,
        "student": optimisation,
        "noisy_student": {"top_fraction": 0.25},
        "evaluation": {"resamples": 50},
        "export": {"model_name": "cli-test", "model_version": "0.1.0", "operating_points": {"default": 0.5, "sensitive": 0.2}},
    }
    path = root / "run.json"
    path.write_text(json.dumps(config))
    return path


def test_full_run_through_every_step(run_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = run_config.parent / "work"
    config = ["--config", str(run_config)]

    assert main(["train-teacher", *config]) == 0
    assert main(["pseudo-label", *config, "--ranker", "teacher"]) == 0
    assert main(["train-student", *config]) == 0
    assert main(["evaluate", *config, "--model", "student-1"]) == 0
    assert main(["export", *config, "--model", "student-1", "--output", str(work / "student.onnx")]) == 0
    capsys.readouterr()
    assert main(["inspect", str(work / "student.onnx")]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert printed["model_name"] == "cli-test"
    assert printed["evaluation"]["exams"] == 4
    assert {p["name"] for p in printed["operating_points"]} == {"default", "sensitive"}
    assert all(p["sensitivity"] is not None for p in printed["operating_points"])
    stored = json.loads(read_metadata_properties((work / "student.onnx").read_bytes())[CONTRACT_PROPERTY])
    assert stored == printed

    with np.load(work / "pseudo-labels-1.npz") as pseudo:
        positives = sum(int(pseudo[f"slice_labels_{i}"].sum()) for i in range(3))
    # 12 unlabelled slices, top 25 %.
    assert positives == 3
    student = load_checkpoint(work / "student-1" / "checkpoint.pt")
    assert student["model_config"]["dropout"] == 0.5
    assert student["step"] == 2


def test_train_teacher_again_resumes_at_last_step(run_config: Path) -> None:
    work = run_config.parent / "work"
    if not (work / "teacher" / "checkpoint.pt").is_file():
        assert main(["train-teacher", "--config", str(run_config)]) == 0
    before = load_checkpoint(work / "teacher" / "checkpoint.pt")

    assert main(["train-teacher", "--config", str(run_config)]) == 0

    after = load_checkpoint(work / "teacher" / "checkpoint.pt")
    assert after["step"] == before["step"] == 2
    assert all(torch.equal(before["model"][k], after["model"][k]) for k in before["model"])


def test_student_without_pseudo_labels_fails_with_hint(run_config: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert main(["train-student", "--config", str(run_config), "--generation", "7"]) == 2

    assert "run pseudo-label --generation 7 first" in caplog.text


def test_missing_config_fails_with_message(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert main(["train-teacher", "--config", str(tmp_path / "absent.toml")]) == 2

    assert "not found" in caplog.text
