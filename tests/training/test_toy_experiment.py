import json
from pathlib import Path

from ich_training.toy_experiment import main


def test_toy_experiment_writes_results(tmp_path: Path) -> None:
    arguments = ["--output", str(tmp_path), "--labelled", "2", "--unlabelled", "3", "--test", "6"]
    arguments += ["--slices", "4", "--size", "32", "--width", "0.03125", "--steps", "2", "--resamples", "20"]

    assert main(arguments) == 0

    results = json.loads((tmp_path / "results.json").read_text())
    assert results["unlabelled_slices"] == 12
    assert results["pseudo_positive_slices"] == 2
    assert set(results["student_minus_teacher"]) == set(results["teacher"])
    assert results["unlabelled_positive_slices"] > 0
    assert abs(sum(results["pseudo_labels_on_blob_pixels"].values()) - 1.0) < 1e-9
    assert (tmp_path / "student-1" / "checkpoint.pt").is_file()
