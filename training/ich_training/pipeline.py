"""The steps of a noisy-student run, each reading and writing files under the run's work folder.

Layout of ``work_dir``: ``teacher/`` and ``student-<g>/`` each hold ``checkpoint.pt`` and, once
evaluated, ``evaluation.json``; ``pseudo-labels-<g>.npz`` contains the labels generation ``g``
trains on. The export step writes to the path given on its command line.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .config import RunConfig
from .contract import build_contract
from .data.dataset import Exam, SliceDataset
from .data.sources import load_exams
from .evaluation import EvaluationReport, MetricEstimate, evaluate, summarise_exam
from .export import export_onnx
from .inference import predict_exam
from .model import PatchFcn
from .noisy_student import MixedBatchSampler, pseudo_label_exams
from .seeding import seed_everything
from .training import CHECKPOINT_NAME, load_model, train

LOGGER = logging.getLogger(__name__)

TEACHER = "teacher"
EVALUATION_NAME = "evaluation.json"


def model_dir(config: RunConfig, name: str) -> Path:
    return config.work_dir / name


def student_name(generation: int) -> str:
    if generation < 1:
        raise ValueError(f"student generations count from 1, got {generation}")
    return f"student-{generation}"


def teacher_of(generation: int) -> str:
    """Return the model that teaches ``generation``: the first teacher, then each previous student."""
    return TEACHER if generation == 1 else student_name(generation - 1)


def pseudo_label_path(config: RunConfig, generation: int) -> Path:
    return config.work_dir / f"pseudo-labels-{generation}.npz"


def _require_sources(config: RunConfig, name: str) -> None:
    if not getattr(config, name):
        raise ValueError(f"{config.source}: [data].{name} is empty; list the exams for this step there")


def train_teacher(config: RunConfig, resume: bool = True) -> PatchFcn:
    """Train the first teacher on the labelled exams."""
    _require_sources(config, "labelled")
    seed_everything(config.seed)
    exams = load_exams(list(config.labelled))
    dataset = SliceDataset(
        exams, config.model.context_slices, config.crop_size, config.augmentation, config.lesion_crop_probability
    )
    sampler = MixedBatchSampler(len(dataset), 0, config.teacher.batch_size, 1.0, seed=config.seed)
    model = PatchFcn(config.model)
    return train(model, dataset, sampler, config.teacher, config.seed, model_dir(config, TEACHER), resume)


def pseudo_label(config: RunConfig, generation: int = 1, ranker: Optional[str] = None) -> Path:
    """Label the unlabelled exams with the teacher of ``generation`` and save the labels.

    The ranker, whose slice probabilities choose the positive slices, is the teacher itself unless
    ``ranker`` names another trained model of the run.
    """
    _require_sources(config, "unlabelled")
    teacher = load_model(model_dir(config, teacher_of(generation)) / CHECKPOINT_NAME)
    ranking_model = teacher if ranker is None else load_model(model_dir(config, ranker) / CHECKPOINT_NAME)
    exams = load_exams(list(config.unlabelled), with_labels=False)
    pixel_probabilities, ranker_scores = [], []
    for exam in exams:
        pixels, slices = predict_exam(teacher, exam)
        if ranking_model is not teacher:
            _, slices = predict_exam(ranking_model, exam)
        pixel_probabilities.append(pixels)
        ranker_scores.append(slices)
    labelled = pseudo_label_exams(exams, pixel_probabilities, ranker_scores, config.noisy_student)

    arrays: dict[str, np.ndarray] = {"exam_ids": np.array([e.exam_id for e in labelled])}
    for index, exam in enumerate(labelled):
        assert exam.mask is not None and exam.slice_labels is not None
        arrays[f"mask_{index}"] = exam.mask
        arrays[f"slice_labels_{index}"] = exam.slice_labels
    path = pseudo_label_path(config, generation)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(temporary, **arrays)
    os.replace(temporary, path)
    positives = sum(int(e.slice_labels.sum()) for e in labelled if e.slice_labels is not None)
    LOGGER.info("pseudo-labelled %d exams, %d positive slices, into %s", len(labelled), positives, path)
    return path


def load_pseudo_labelled(config: RunConfig, generation: int) -> list[Exam]:
    path = pseudo_label_path(config, generation)
    if not path.is_file():
        raise FileNotFoundError(f"pseudo-labels {path} not found; run pseudo-label --generation {generation} first")
    exams = load_exams(list(config.unlabelled), with_labels=False)
    with np.load(path) as stored:
        ids = [str(i) for i in stored["exam_ids"]]
        if ids != [e.exam_id for e in exams]:
            raise ValueError(f"{path} was made for other unlabelled exams; run pseudo-label again")
        return [
            Exam(e.exam_id, e.hu, mask=stored[f"mask_{i}"], slice_labels=stored[f"slice_labels_{i}"])
            for i, e in enumerate(exams)
        ]


def train_student(config: RunConfig, generation: int = 1, resume: bool = True) -> PatchFcn:
    """Train a student from scratch, with dropout and augmentation, on labelled and pseudo-labelled slices."""
    _require_sources(config, "labelled")
    seed_everything(config.seed + generation)
    labelled = load_exams(list(config.labelled))
    pseudo = load_pseudo_labelled(config, generation)
    dataset = SliceDataset(
        labelled + pseudo, config.model.context_slices, config.crop_size, config.augmentation, config.lesion_crop_probability
    )
    labelled_slices = sum(e.hu.shape[0] for e in labelled)
    sampler = MixedBatchSampler(
        labelled_slices,
        len(dataset) - labelled_slices,
        config.student.batch_size,
        config.noisy_student.labelled_fraction,
        seed=config.seed + generation,
    )
    model = PatchFcn(dataclasses.replace(config.model, dropout=config.noisy_student.student_dropout))
    directory = model_dir(config, student_name(generation))
    return train(model, dataset, sampler, config.student, config.seed + generation, directory, resume)


def evaluate_model(config: RunConfig, name: str) -> EvaluationReport:
    """Evaluate a trained model on the test exams and write ``evaluation.json`` beside its checkpoint."""
    _require_sources(config, "test")
    model = load_model(model_dir(config, name) / CHECKPOINT_NAME)
    thresholds = {p.name: p.threshold for p in config.export.operating_points}
    results = []
    for exam in load_exams(list(config.test)):
        pixels, slices = predict_exam(model, exam)
        results.append(summarise_exam(exam.exam_id, slices, pixels, exam.mask, exam.label, config.evaluation.pixel_threshold))
    settings = config.evaluation
    report = evaluate(results, thresholds, settings.pixel_threshold, settings.resamples, settings.confidence, settings.seed)
    path = model_dir(config, name) / EVALUATION_NAME
    path.write_text(json.dumps(_nan_to_none(dataclasses.asdict(report)), indent=2) + "\n", encoding="utf-8")
    LOGGER.info("wrote %s", path)
    return report


def _nan_to_none(values: Any) -> Any:
    """Replace NaN (an undefined metric) with None, because JSON has no NaN."""
    if isinstance(values, dict):
        return {k: _nan_to_none(v) for k, v in values.items()}
    if isinstance(values, float) and math.isnan(values):
        return None
    return values


def read_evaluation(path: Path) -> EvaluationReport:
    values = json.loads(path.read_text(encoding="utf-8"))
    metrics = {
        k: MetricEstimate(**{f: float("nan") if x is None else x for f, x in v.items()})
        for k, v in values.pop("metrics").items()
    }
    return EvaluationReport(metrics=metrics, **values)


def export_model(config: RunConfig, name: str, output: Path, evaluation: Optional[Path] = None) -> Path:
    """Export a trained model as ONNX with its contract, taking measured operating points from its evaluation."""
    model = load_model(model_dir(config, name) / CHECKPOINT_NAME).eval()
    evaluation = evaluation or model_dir(config, name) / EVALUATION_NAME
    report = read_evaluation(evaluation) if evaluation.is_file() else None
    if report is None:
        LOGGER.warning("no evaluation at %s: the contract's operating points carry no measured values", evaluation)
    export_onnx(model, build_contract(model.config, config.export, report), output)
    LOGGER.info("exported %s to %s", name, output)
    return output
