"""The run configuration: one TOML or JSON file drives every command.

Relative paths in the file are relative to the file's folder. Unknown keys are errors, so a
misspelt setting cannot be silently ignored. ``training/examples/example-config.toml`` shows
every section.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Type, TypeVar

from .contract import ExportConfig, OperatingPoint
from .data.augment import AugmentationConfig
from .data.sources import ExamSource, physionet_sources
from .model import PatchFcnConfig, Window
from .noisy_student import NoisyStudentConfig
from .training import OptimisationConfig


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class EvaluationConfig:
    """Bootstrap settings and the pixel threshold for Dice."""

    resamples: int = 1000
    confidence: float = 0.95
    pixel_threshold: float = 0.5
    seed: int = 0


@dataclass(frozen=True)
class RunConfig:
    """Everything one training run needs."""

    work_dir: Path
    seed: int = 0
    model: PatchFcnConfig = PatchFcnConfig()
    crop_size: int = 240
    lesion_crop_probability: float = 0.0
    labelled: tuple[ExamSource, ...] = ()
    unlabelled: tuple[ExamSource, ...] = ()
    test: tuple[ExamSource, ...] = ()
    augmentation: AugmentationConfig = AugmentationConfig()
    teacher: OptimisationConfig = OptimisationConfig()
    student: OptimisationConfig = OptimisationConfig()
    noisy_student: NoisyStudentConfig = NoisyStudentConfig()
    evaluation: EvaluationConfig = EvaluationConfig()
    export: ExportConfig = ExportConfig()
    # Where the settings came from, for messages.
    source: Optional[Path] = field(default=None, compare=False)


T = TypeVar("T")


def _build(cls: Type[T], values: Any, where: str) -> T:
    if not isinstance(values, dict):
        raise ConfigError(f"{where} must be a table, got {type(values).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}; valid keys are {sorted(fields)}")
    converted = {}
    for key, value in values.items():
        # TOML and JSON have arrays, not tuples; the frozen dataclasses take tuples.
        converted[key] = tuple(value) if isinstance(value, list) else value
    try:
        return cls(**converted)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{where}: {error}") from error


def _sources(entries: Any, base: Path, where: str) -> tuple[ExamSource, ...]:
    if not isinstance(entries, list):
        raise ConfigError(f"{where} must be an array of tables, got {type(entries).__name__}")
    sources: list[ExamSource] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and set(entry) == {"physionet"}:
            try:
                sources.extend(physionet_sources(base / entry["physionet"]))
            except FileNotFoundError as error:
                raise ConfigError(f"{where}[{index}]: {error}") from error
            continue
        source = _build(ExamSource, entry, f"{where}[{index}]")
        paths = {k: base / v for k in ("series", "nifti_mask", "seg_mask", "rsna_labels") if (v := getattr(source, k)) is not None}
        sources.append(dataclasses.replace(source, **paths))
    return tuple(sources)


def _export(values: dict[str, Any], where: str) -> ExportConfig:
    values = dict(values)
    points = values.pop("operating_points", None)
    if points is not None:
        if not isinstance(points, dict) or not points:
            raise ConfigError(f"{where}.operating_points must be a table of name = threshold")
        values["operating_points"] = [OperatingPoint(str(name), float(threshold)) for name, threshold in points.items()]
    return _build(ExportConfig, values, where)


def parse_config(values: dict[str, Any], base: Path, source: Optional[Path] = None) -> RunConfig:
    """Build a :class:`RunConfig` from parsed TOML or JSON; relative paths resolve against ``base``."""
    where = str(source) if source is not None else "configuration"
    values = dict(values)
    data = dict(values.pop("data", {}))
    sections = {
        "model": PatchFcnConfig,
        "augmentation": AugmentationConfig,
        "teacher": OptimisationConfig,
        "student": OptimisationConfig,
        "noisy_student": NoisyStudentConfig,
        "evaluation": EvaluationConfig,
    }
    arguments: dict[str, Any] = {}
    model = values.get("model")
    if isinstance(model, dict) and "windows" in model:
        try:
            values["model"] = {**model, "windows": [Window(**w) for w in model["windows"]]}
        except TypeError as error:
            raise ConfigError(f"{where} [model].windows: each window needs name, level and width ({error})") from error
    for name, cls in sections.items():
        if name in values:
            arguments[name] = _build(cls, values.pop(name), f"{where} [{name}]")
    if "export" in values:
        arguments["export"] = _export(values.pop("export"), f"{where} [export]")
    for name in ("labelled", "unlabelled", "test"):
        if name in data:
            arguments[name] = _sources(data.pop(name), base, f"{where} [data].{name}")
    for name in ("crop_size", "lesion_crop_probability"):
        if name in data:
            arguments[name] = data.pop(name)
    if data:
        raise ConfigError(f"{where} [data]: unknown keys {sorted(data)}")
    if "work_dir" not in values:
        raise ConfigError(f"{where}: work_dir is missing; set it to the folder for checkpoints and outputs")
    arguments["work_dir"] = base / values.pop("work_dir")
    if "seed" in values:
        arguments["seed"] = values.pop("seed")
    if values:
        raise ConfigError(f"{where}: unknown keys {sorted(values)}")
    return RunConfig(source=source, **arguments)


def load_config(path: Path) -> RunConfig:
    """Read a ``.toml`` or ``.json`` configuration file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"configuration file {path} not found")
    if path.suffix == ".json":
        values = json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".toml":
        if sys.version_info < (3, 11):
            raise ConfigError(f"{path}: TOML needs Python 3.11 or later (tomllib); use a JSON configuration instead")
        import tomllib

        with open(path, "rb") as handle:
            values = tomllib.load(handle)
    else:
        raise ConfigError(f"{path}: the configuration must be a .toml or .json file")
    return parse_config(values, path.parent, path)
