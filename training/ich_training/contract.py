"""The model contract: the JSON stored in the ONNX metadata property ``ich.contract``.

docs/model-contract.md documents every field; :func:`validate_contract` enforces that document.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from .evaluation import EXAM_SCORE_RULE, EvaluationReport
from .model import PatchFcnConfig

CONTRACT_PROPERTY = "ich.contract"
CONTRACT_VERSION = "1.0"
INPUT_NAME = "hu"
PIXEL_OUTPUT_NAME = "hemorrhage_probability"
SLICE_OUTPUT_NAME = "slice_probability"


class ContractError(ValueError):
    """A contract document that breaks the rules of docs/model-contract.md."""


@dataclass(frozen=True)
class OperatingPoint:
    """A named exam-score threshold."""

    name: str
    threshold: float


@dataclass(frozen=True)
class ExportConfig:
    """Model description, tiling and operating points written into the contract beside the architecture."""

    model_name: str = "patchfcn"
    model_version: str = "0.0.0"
    intended_use: str = (
        "Research and demonstration of acute intracranial hemorrhage detection and segmentation "
        "on noncontrast head CT. Not a medical device."
    )
    not_for_clinical_use: bool = True
    # None means the model runs at the series' native pixel spacing.
    pixel_spacing_mm: Optional[tuple[float, float]] = None
    # None means whole slices; otherwise square patches of this size moved by ``patch_stride``.
    patch_size: Optional[int] = None
    patch_stride: Optional[int] = None
    pixel_threshold: float = 0.5
    operating_points: tuple[OperatingPoint, ...] = (OperatingPoint("default", 0.5),)
    # Where the operating points were measured (for example "120 held-out synthetic exams, seeds 900-1019").
    evaluation_dataset: Optional[str] = None
    opset: int = 17


def build_contract(model: PatchFcnConfig, export: ExportConfig, report: Optional[EvaluationReport] = None) -> dict[str, Any]:
    """Assemble the contract document; operating points get measured values from ``report`` when given."""
    tiling: dict[str, Any] = {"mode": "whole_slice"}
    if export.patch_size is not None:
        tiling = {"mode": "patch", "patch_size": export.patch_size, "stride": export.patch_stride or export.patch_size}

    points = []
    for point in export.operating_points:
        entry: dict[str, Any] = {"name": point.name, "threshold": point.threshold}
        for metric in ("sensitivity", "specificity"):
            estimate = report.metrics.get(f"{point.name}.{metric}") if report is not None else None
            measured = estimate is not None and not math.isnan(estimate.value)
            entry[metric] = estimate.value if measured else None
            entry[f"{metric}_interval"] = [estimate.lower, estimate.upper] if measured else None
        points.append(entry)

    evaluation = None
    if report is not None:
        evaluation = {
            "dataset": export.evaluation_dataset or "not described",
            "exams": report.exams,
            "positive_exams": report.positive_exams,
            "confidence": report.confidence,
            "bootstrap_resamples": report.resamples,
        }

    contract = {
        "contract_version": CONTRACT_VERSION,
        "model_name": export.model_name,
        "model_version": export.model_version,
        "intended_use": export.intended_use,
        "not_for_clinical_use": export.not_for_clinical_use,
        "input": {"name": INPUT_NAME, "units": "HU", "context_slices": model.context_slices, "size_multiple": 8},
        "outputs": {"pixel": PIXEL_OUTPUT_NAME, "slice": SLICE_OUTPUT_NAME},
        "pixel_spacing_mm": list(export.pixel_spacing_mm) if export.pixel_spacing_mm is not None else None,
        "tiling": tiling,
        "exam_score_rule": EXAM_SCORE_RULE,
        "pixel_threshold": export.pixel_threshold,
        "operating_points": points,
        "evaluation": evaluation,
        "windows": [{"name": w.name, "level_hu": w.level, "width_hu": w.width} for w in model.windows],
    }
    validate_contract(contract)
    return contract


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ContractError(message)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def validate_contract(contract: dict[str, Any]) -> None:
    """Raise :class:`ContractError` naming the first field that breaks the documented rules."""
    version = contract.get("contract_version")
    major = CONTRACT_VERSION.split(".")[0]
    _require(isinstance(version, str) and re.fullmatch(rf"{major}\.\d+", version) is not None,
             f"contract_version is {version!r}; this reader supports {major}.x (minor versions only add optional fields)")
    for key in ("model_name", "model_version", "intended_use"):
        _require(isinstance(contract.get(key), str) and contract[key] != "", f"{key} must be a non-empty string")
    _require(isinstance(contract.get("not_for_clinical_use"), bool), "not_for_clinical_use must be true or false")

    model_input = contract.get("input")
    _require(isinstance(model_input, dict), f"input must be an object, got {model_input!r}")
    slices = model_input.get("context_slices")
    _require(model_input.get("name") == INPUT_NAME and model_input.get("units") == "HU",
             f"input must be named {INPUT_NAME!r} with units 'HU', got {model_input}")
    _require(isinstance(slices, int) and slices >= 1 and slices % 2 == 1,
             f"input.context_slices must be a positive odd integer, got {slices!r}")
    _require(contract.get("outputs") == {"pixel": PIXEL_OUTPUT_NAME, "slice": SLICE_OUTPUT_NAME},
             f"outputs must be {{'pixel': {PIXEL_OUTPUT_NAME!r}, 'slice': {SLICE_OUTPUT_NAME!r}}}")

    spacing = contract.get("pixel_spacing_mm")
    _require(spacing is None or (isinstance(spacing, list) and len(spacing) == 2 and all(_is_number(s) and s > 0 for s in spacing)),
             f"pixel_spacing_mm must be null (native) or two positive numbers, got {spacing!r}")

    tiling = contract.get("tiling")
    _require(isinstance(tiling, dict), f"tiling must be an object, got {tiling!r}")
    if tiling.get("mode") == "patch":
        for key in ("patch_size", "stride"):
            value = tiling.get(key)
            _require(isinstance(value, int) and value > 0 and value % 8 == 0,
                     f"tiling.{key} must be a positive multiple of 8, got {value!r}")
        _require(tiling["stride"] <= tiling["patch_size"], "tiling.stride must not exceed tiling.patch_size")
    else:
        _require(tiling == {"mode": "whole_slice"}, f"tiling must be whole_slice or patch, got {tiling!r}")

    _require(contract.get("exam_score_rule") == EXAM_SCORE_RULE,
             f"exam_score_rule must be {EXAM_SCORE_RULE!r}, got {contract.get('exam_score_rule')!r}")
    threshold = contract.get("pixel_threshold")
    _require(_is_number(threshold) and 0 < threshold < 1, f"pixel_threshold must be in (0, 1), got {threshold!r}")

    points = contract.get("operating_points")
    _require(isinstance(points, list) and len(points) > 0, "operating_points must be a non-empty list")
    _require(all(isinstance(p, dict) for p in points), "every operating point must be an object")
    names = [p.get("name") for p in points]
    _require(len(set(names)) == len(names), f"operating point names must be unique, got {names}")
    for point in points:
        _require(isinstance(point.get("name"), str) and point["name"] != "", "an operating point has no name")
        _require(_is_number(point.get("threshold")) and 0 <= point["threshold"] <= 1,
                 f"operating point {point['name']}: threshold must be in [0, 1], got {point.get('threshold')!r}")
        for metric in ("sensitivity", "specificity"):
            value = point.get(metric)
            _require(value is None or (_is_number(value) and 0 <= value <= 1),
                     f"operating point {point['name']}: {metric} must be null or in [0, 1], got {value!r}")


def contract_json(contract: dict[str, Any]) -> str:
    """Serialise a contract as compact, key-sorted JSON, so the same contract gives the same bytes."""
    return json.dumps(contract, sort_keys=True, separators=(",", ":"), allow_nan=False)
