"""Exam sources named in a training configuration, and loading them into memory."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .dataset import IGNORE, Exam
from .dicom_series import CtSeries, SeriesError, read_dicom_series
from .labels import read_rsna_labels
from .masks import read_nifti_mask, read_seg_mask
from .nifti_series import read_nifti_series

LOGGER = logging.getLogger(__name__)

_NIFTI_SUFFIXES = (".nii", ".nii.gz")


@dataclass(frozen=True)
class ExamSource:
    """One exam: a DICOM series folder or NIfTI volume, and at most one kind of label."""

    series: Path
    exam_id: Optional[str] = None
    series_instance_uid: Optional[str] = None
    nifti_mask: Optional[Path] = None
    seg_mask: Optional[Path] = None
    rsna_labels: Optional[Path] = None

    def __post_init__(self) -> None:
        labels = [name for name in ("nifti_mask", "seg_mask", "rsna_labels") if getattr(self, name) is not None]
        if len(labels) > 1:
            raise ValueError(f"exam source {self.series} names {labels}; give at most one of them")

    @property
    def name(self) -> str:
        return self.exam_id or self.series.name


def _is_nifti(path: Path) -> bool:
    return path.name.endswith(_NIFTI_SUFFIXES)


def physionet_sources(root: Path) -> list[ExamSource]:
    """List the exams of a PhysioNet CT-ICH style folder.

    Each exam is ``ct_scans/<id>.nii[.gz]`` or a DICOM folder ``ct_scans/<id>/``, with its mask in
    ``masks/<id>.nii[.gz]``.
    """
    scans, masks = root / "ct_scans", root / "masks"
    if not scans.is_dir() or not masks.is_dir():
        raise FileNotFoundError(f"{root} must contain the folders ct_scans/ and masks/ (PhysioNet CT-ICH layout)")
    sources = []
    for scan in sorted(scans.iterdir()):
        exam_id = scan.name.split(".")[0]
        if not (scan.is_dir() or _is_nifti(scan)):
            continue
        mask = next((masks / f"{exam_id}{s}" for s in _NIFTI_SUFFIXES if (masks / f"{exam_id}{s}").is_file()), None)
        if mask is None:
            raise FileNotFoundError(f"exam {exam_id} in {scans} has no mask {masks}/{exam_id}.nii or .nii.gz")
        sources.append(ExamSource(series=scan, exam_id=exam_id, nifti_mask=mask))
    if not sources:
        raise FileNotFoundError(f"no exams found in {scans}")
    return sources


def read_series(source: ExamSource) -> CtSeries:
    if _is_nifti(source.series):
        return read_nifti_series(source.series)
    return read_dicom_series(source.series, source.series_instance_uid)


def load_exam(source: ExamSource, with_labels: bool = True) -> Exam:
    """Read an exam's HU volume and, unless ``with_labels`` is false, its mask or slice labels."""
    series = read_series(source)
    if not with_labels:
        return Exam(source.name, series.hu)
    if source.nifti_mask is not None:
        return Exam(source.name, series.hu, mask=read_nifti_mask(source.nifti_mask, series).astype(np.int8))
    if source.seg_mask is not None:
        return Exam(source.name, series.hu, mask=read_seg_mask(source.seg_mask, series).astype(np.int8))
    if source.rsna_labels is not None:
        labels = read_rsna_labels(source.rsna_labels)
        slice_labels = np.array([labels.get(uid, IGNORE) for uid in series.sop_instance_uids], dtype=np.int8)
        missing = int((slice_labels == IGNORE).sum())
        if missing == len(slice_labels):
            raise SeriesError(f"no slice of exam {source.name} has a label in {source.rsna_labels}")
        if missing:
            LOGGER.warning("exam %s: %d of %d slices have no label and are ignored", source.name, missing, len(slice_labels))
        return Exam(source.name, series.hu, slice_labels=slice_labels)
    return Exam(source.name, series.hu)


def load_exams(sources: list[ExamSource], with_labels: bool = True) -> list[Exam]:
    exams = [load_exam(source, with_labels) for source in sources]
    LOGGER.info("loaded %d exams, %d slices", len(exams), sum(e.hu.shape[0] for e in exams))
    return exams
