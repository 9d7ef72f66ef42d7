"""Command line: one subcommand per step of a noisy-student run, driven by a configuration file."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Optional, Sequence

from . import pipeline
from .config import ConfigError, load_config
from .contract import CONTRACT_PROPERTY, ContractError, validate_contract
from .onnx_metadata import OnnxFormatError, read_metadata_properties

LOGGER = logging.getLogger("ich_training")


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, required=True, help="run configuration (.toml or .json)")


def _add_resume(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--restart", action="store_true", help="ignore an existing checkpoint and train from step 0"
    )


def _add_generation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--generation", type=int, default=1, help="student generation (1 learns from the teacher, 2 from student-1, ...)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m ich_training", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)

    teacher = commands.add_parser("train-teacher", help="train the teacher on the labelled exams")
    _add_config(teacher)
    _add_resume(teacher)

    pseudo = commands.add_parser("pseudo-label", help="rank and pixel-label the unlabelled exams with a teacher")
    _add_config(pseudo)
    _add_generation(pseudo)
    pseudo.add_argument(
        "--ranker", help="model of the run whose slice probabilities rank the slices (default: the teacher)"
    )

    student = commands.add_parser("train-student", help="train a noisy student on labelled and pseudo-labelled exams")
    _add_config(student)
    _add_generation(student)
    _add_resume(student)

    evaluate = commands.add_parser("evaluate", help="evaluate a trained model on the test exams with bootstrap intervals")
    _add_config(evaluate)
    evaluate.add_argument("--model", default=pipeline.TEACHER, help="'teacher' or 'student-<g>' (default: teacher)")

    export = commands.add_parser("export", help="export a trained model to ONNX with its contract")
    _add_config(export)
    export.add_argument("--model", default=pipeline.TEACHER, help="'teacher' or 'student-<g>' (default: teacher)")
    export.add_argument("--output", type=Path, required=True, help="ONNX file to write")
    export.add_argument("--evaluation", type=Path, help="evaluation.json to take operating points from (default: the model's)")

    golden = commands.add_parser("golden", help="write the seeded golden models and vectors the C# tests use")
    golden.add_argument("--output", type=Path, required=True, help="folder to write to (tests/data/golden)")

    inspect = commands.add_parser("inspect", help="print and validate the ich.contract of an ONNX model")
    inspect.add_argument("model", type=Path, help="ONNX file")
    return parser


def _inspect(path: Path) -> int:
    properties = read_metadata_properties(path.read_bytes())
    if CONTRACT_PROPERTY not in properties:
        LOGGER.error("%s has no metadata property %s; export it with this package", path, CONTRACT_PROPERTY)
        return 1
    contract = json.loads(properties[CONTRACT_PROPERTY])
    validate_contract(contract)
    print(json.dumps(contract, indent=2, sort_keys=True))
    return 0


def run(arguments: argparse.Namespace) -> int:
    if arguments.command == "golden":
        from .golden import write_all_golden

        for path in write_all_golden(arguments.output):
            LOGGER.info("wrote %s", path)
        return 0
    if arguments.command == "inspect":
        return _inspect(arguments.model)

    config = load_config(arguments.config)
    if arguments.command == "train-teacher":
        pipeline.train_teacher(config, resume=not arguments.restart)
    elif arguments.command == "pseudo-label":
        pipeline.pseudo_label(config, arguments.generation, arguments.ranker)
    elif arguments.command == "train-student":
        pipeline.train_student(config, arguments.generation, resume=not arguments.restart)
    elif arguments.command == "evaluate":
        report = pipeline.evaluate_model(config, arguments.model)
        for name, estimate in report.metrics.items():
            print(f"{name}: {estimate.value:.3f} (95% interval {estimate.lower:.3f} to {estimate.upper:.3f})")
    elif arguments.command == "export":
        pipeline.export_model(config, arguments.model, arguments.output, arguments.evaluation)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if arguments.verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return run(arguments)
    except (ConfigError, ContractError, OnnxFormatError, FileNotFoundError, ValueError) as error:
        LOGGER.error("%s", error)
        return 2


if __name__ == "__main__":
    sys.exit(main())
