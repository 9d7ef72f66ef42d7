"""Score synthetic exams with the `ich` command and measure it against their ground truth.

This checks the served path (C#, ONNX Runtime, aggregation and SEG writer) rather than PyTorch.
Each exam folder written by `ich phantom` (``ct/`` plus ``truth_mask.nii.gz`` or
``truth_seg.dcm``) is scored with ``ich score --json``. The exam probability comes from
report.json and the predicted mask from the DICOM SEG that `ich score` writes. Metrics and bootstrap intervals
come from the training package's evaluator, so both paths are measured the same way.

    PYTHONPATH=training /usr/bin/python3 bench/heldout/score_with_ich.py \\
        --ich cli/bin/Release/net10.0/ich --model models/patchfcn-demo.onnx \\
        --exams /tmp/ich-demo-data/test --out /tmp/ich-demo-scores
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from ich_training.data.dicom_series import read_dicom_series
from ich_training.data.masks import read_nifti_mask, read_seg_mask
from ich_training.evaluation import ExamResult, evaluate


def score_exam(ich: Path, model: Path, exam: Path, out: Path) -> ExamResult:
    """Run `ich score` on one exam and compare its SEG with the exam's truth."""
    completed = subprocess.run(
        [str(ich), "score", str(exam / "ct"), "--model", str(model), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"ich score {exam} exited with {completed.returncode}: {completed.stderr.strip()[-2000:]}")
    report = json.loads(completed.stdout)
    series = read_dicom_series(exam / "ct")
    nifti = exam / "truth_mask.nii.gz"
    truth = read_nifti_mask(nifti, series) if nifti.is_file() else read_seg_mask(exam / "truth_seg.dcm", series)
    predicted = read_seg_mask(out / "hemorrhage-seg.dcm", series)
    truth, predicted = truth.astype(bool), predicted.astype(bool)
    return ExamResult(
        exam.name,
        int(truth.any()),
        float(report["exam"]["probability"]),
        int((truth & predicted).sum()),
        int(predicted.sum()),
        int(truth.sum()),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ich", type=Path, required=True, help="the ich executable")
    parser.add_argument("--model", type=Path, required=True, help="ONNX model to score with")
    parser.add_argument("--exams", type=Path, required=True, help="folder of exam-* folders from ich phantom")
    parser.add_argument("--out", type=Path, required=True, help="folder for each exam's ich outputs and results.json")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    arguments = parser.parse_args()

    exams = sorted(p for p in arguments.exams.iterdir() if p.is_dir() and (p / "ct").is_dir())
    if not exams:
        print(f"no exam folders with ct/ under {arguments.exams}; write them with `ich phantom`", file=sys.stderr)
        return 2
    results = []
    thresholds: dict[str, float] = {}
    for exam in exams:
        result = score_exam(arguments.ich, arguments.model, exam, arguments.out / exam.name)
        report = json.loads((arguments.out / exam.name / "report.json").read_text(encoding="utf-8"))
        thresholds = {d["operating_point"]: float(d["threshold"]) for d in report["exam"]["decisions"]}
        dice = 2 * result.intersection / (result.predicted + result.truth) if result.truth else float("nan")
        print(f"{exam.name}: label {result.label} probability {result.score:.4f} dice {dice:.3f}", flush=True)
        results.append(result)

    report = evaluate(results, thresholds, pixel_threshold=float("nan"), resamples=arguments.resamples, seed=arguments.seed)
    # The SEG contains a thresholded mask, not probabilities, so pixel average precision is not measured.
    del report.metrics["pixel_average_precision"]
    for name, estimate in report.metrics.items():
        print(f"{name}: {estimate.value:.3f} (95% interval {estimate.lower:.3f} to {estimate.upper:.3f})")
    summary = {
        "exams": [dataclasses.asdict(r) for r in results],
        "metrics": {k: dataclasses.asdict(v) for k, v in report.metrics.items()},
    }
    (arguments.out / "results.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
