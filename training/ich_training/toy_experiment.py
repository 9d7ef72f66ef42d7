"""Toy experiment: a noisy student against its teacher on synthetic phantoms, with bootstrap intervals.

The phantoms (:mod:`ich_training.synthetic`) are ellipses with a faint blob, a stand-in until
realistic synthetic exams exist; results here show that the pipeline runs and say nothing about
CT. The experiment uses the same training, pseudo-labelling and evaluation code as the CLI steps,
with exams held in memory instead of read from DICOM.

    PYTHONPATH=training /usr/bin/python3 -m ich_training.toy_experiment --output runs/toy
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import torch

from .data.augment import AugmentationConfig
from .data.dataset import IGNORE, Exam, SliceDataset
from .evaluation import ExamResult, evaluate, evaluate_difference, summarise_exam
from .inference import predict_exam
from .model import PatchFcn, PatchFcnConfig, count_parameters
from .noisy_student import MixedBatchSampler, NoisyStudentConfig, pseudo_label_exams
from .seeding import seed_everything
from .synthetic import phantom_exams
from .training import OptimisationConfig, train

LOGGER = logging.getLogger("ich_training.toy_experiment")
OPERATING_POINTS = {"default": 0.5}


def _parse(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, required=True, help="folder for checkpoints and results.json")
    parser.add_argument("--labelled", type=int, default=10, help="labelled training exams (default 10)")
    parser.add_argument("--unlabelled", type=int, default=100, help="unlabelled exams (default 100)")
    parser.add_argument("--test", type=int, default=100, help="held-out test exams (default 100)")
    parser.add_argument("--slices", type=int, default=8, help="slices per exam (default 8)")
    parser.add_argument("--size", type=int, default=64, help="slice width and height in pixels (default 64)")
    parser.add_argument("--width", type=float, default=0.125, help="network width multiplier (default 0.125)")
    parser.add_argument("--steps", type=int, default=300, help="training steps of teacher and student (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the run; data seeds derive from it")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument(
        "--top-fraction", type=float, default=0.10, help="share of unlabelled slices pseudo-labelled positive (default 0.10)"
    )
    parser.add_argument("--student-dropout", type=float, default=0.5, help="student Dropout2d probability (default 0.5)")
    return parser.parse_args(argv)


def _results(model: PatchFcn, exams: Sequence[Exam]) -> list[ExamResult]:
    results = []
    for exam in exams:
        pixels, slices = predict_exam(model, exam)
        results.append(summarise_exam(exam.exam_id, slices, pixels, exam.mask, exam.label, pixel_threshold=0.5))
    return results


def _pseudo_label_composition(truth: Sequence[Exam], pseudo: Sequence[Exam]) -> dict[str, float]:
    """Share of real blob pixels that the pseudo-labels call positive, negative or ignored."""
    counts = np.zeros(3)
    for real, labelled in zip(truth, pseudo):
        assert real.mask is not None and labelled.mask is not None
        on_blob = labelled.mask[real.mask == 1]
        counts += [(on_blob == 1).sum(), (on_blob == 0).sum(), (on_blob == IGNORE).sum()]
    shares = counts / max(counts.sum(), 1)
    return {"positive": float(shares[0]), "negative": float(shares[1]), "ignored": float(shares[2])}


def _mean_probability_on_blobs(model: PatchFcn, exams: Sequence[Exam]) -> float:
    values = [predict_exam(model, exam)[0][exam.mask == 1] for exam in exams if exam.mask is not None and exam.label == 1]
    return float(np.concatenate(values).mean())


def _train(
    exams: Sequence[Exam], labelled_slices: int, model_config: PatchFcnConfig, arguments: argparse.Namespace, name: str, seed: int
) -> tuple[PatchFcn, float]:
    """Train one model; slices past ``labelled_slices`` are pseudo-labelled and get the 0.4 share of each batch."""
    started = time.monotonic()
    seed_everything(seed)
    crop = arguments.size - arguments.size % 8
    dataset = SliceDataset(exams, model_config.context_slices, crop, AugmentationConfig())
    sampler = MixedBatchSampler(labelled_slices, len(dataset) - labelled_slices, 16, NoisyStudentConfig().labelled_fraction, seed=seed)
    optimisation = OptimisationConfig(steps=arguments.steps, batch_size=16, learning_rate=2e-3, checkpoint_every=50, log_every=50)
    model = train(PatchFcn(model_config), dataset, sampler, optimisation, seed, arguments.output / name)
    return model, time.monotonic() - started


def run(arguments: argparse.Namespace) -> dict:
    phantom = {"slices": arguments.slices, "size": arguments.size}
    # Separate seeds keep the three exam sets disjoint.
    labelled = phantom_exams(arguments.labelled, seed=arguments.seed * 1000 + 1, **phantom)
    unlabelled_truth = phantom_exams(arguments.unlabelled, seed=arguments.seed * 1000 + 2, **phantom)
    unlabelled = [Exam(e.exam_id, e.hu) for e in unlabelled_truth]
    test = phantom_exams(arguments.test, seed=arguments.seed * 1000 + 3, **phantom)
    noisy = NoisyStudentConfig(top_fraction=arguments.top_fraction, student_dropout=arguments.student_dropout)
    model_config = PatchFcnConfig(width=arguments.width, context_slices=3)
    labelled_slices = sum(e.hu.shape[0] for e in labelled)

    teacher, teacher_seconds = _train(labelled, labelled_slices, model_config, arguments, "teacher", arguments.seed)
    predictions = [predict_exam(teacher, exam) for exam in unlabelled]
    pseudo = pseudo_label_exams(unlabelled, [p for p, _ in predictions], [s for _, s in predictions], noisy)
    student_config = dataclasses.replace(model_config, dropout=noisy.student_dropout)
    student, student_seconds = _train(labelled + pseudo, labelled_slices, student_config, arguments, "student-1", arguments.seed + 1)

    teacher_results, student_results = _results(teacher, test), _results(student, test)
    settings = {"resamples": arguments.resamples, "seed": arguments.seed}
    reports = {
        "teacher": evaluate(teacher_results, OPERATING_POINTS, 0.5, **settings),
        "student": evaluate(student_results, OPERATING_POINTS, 0.5, **settings),
    }
    difference = evaluate_difference(teacher_results, student_results, OPERATING_POINTS, **settings)
    return {
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(arguments).items()},
        "torch_version": torch.__version__,
        "parameters": count_parameters(teacher),
        "seconds": {"teacher": round(teacher_seconds, 1), "student": round(student_seconds, 1)},
        "unlabelled_slices": sum(e.hu.shape[0] for e in unlabelled),
        "unlabelled_positive_slices": sum(int((e.slice_labels == 1).sum()) for e in unlabelled_truth),
        "pseudo_positive_slices": sum(int(e.slice_labels.sum()) for e in pseudo if e.slice_labels is not None),
        "pseudo_labels_on_blob_pixels": _pseudo_label_composition(unlabelled_truth, pseudo),
        "test_exams": len(test),
        "test_positive_exams": sum(e.label == 1 for e in test),
        "test_mean_probability_on_blobs": {
            "teacher": _mean_probability_on_blobs(teacher, test),
            "student": _mean_probability_on_blobs(student, test),
        },
        "teacher": {k: dataclasses.asdict(v) for k, v in reports["teacher"].metrics.items()},
        "student": {k: dataclasses.asdict(v) for k, v in reports["student"].metrics.items()},
        "student_minus_teacher": {k: dataclasses.asdict(v) for k, v in difference.items()},
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    arguments = _parse(argv)
    results = run(arguments)
    arguments.output.mkdir(parents=True, exist_ok=True)
    (arguments.output / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for model in ("teacher", "student", "student_minus_teacher"):
        for name, estimate in results[model].items():
            LOGGER.info("%s %s: %.3f [%.3f, %.3f]", model, name, estimate["value"], estimate["lower"], estimate["upper"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
