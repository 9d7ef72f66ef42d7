import json
from pathlib import Path

import pytest

from ich_training.contract import (
    CONTRACT_PROPERTY,
    ContractError,
    ExportConfig,
    OperatingPoint,
    build_contract,
    validate_contract,
)
from ich_training.evaluation import EvaluationReport, MetricEstimate
from ich_training.export import export_onnx, export_onnx_bytes
from ich_training.model import STANDARD_WIDTHS, PatchFcn, PatchFcnConfig
from ich_training.onnx_metadata import FLOAT32, read_graph_signature, read_metadata_properties, read_opsets


@pytest.mark.parametrize("width", STANDARD_WIDTHS)
def test_export_every_width_matches_contract_signature(width: float) -> None:
    model = PatchFcn(PatchFcnConfig(width=width, context_slices=3))

    data = export_onnx_bytes(model, build_contract(model.config, ExportConfig()), sample_size=16)

    signature = read_graph_signature(data)
    assert signature["inputs"] == [("hu", FLOAT32, ["N", 3, "H", "W"])]
    assert signature["outputs"] == [
        ("hemorrhage_probability", FLOAT32, ["N", 1, "H", "W"]),
        ("slice_probability", FLOAT32, ["N"]),
    ]
    assert read_opsets(data)[""] == 17
    contract = json.loads(read_metadata_properties(data)[CONTRACT_PROPERTY])
    assert contract["input"]["context_slices"] == 3


def test_export_writes_file_with_contract(tmp_path: Path) -> None:
    model = PatchFcn(PatchFcnConfig(width=0.03125, context_slices=1))
    contract = build_contract(model.config, ExportConfig(model_name="tiny", model_version="1.2.3"))

    export_onnx(model, contract, tmp_path / "out" / "model.onnx")

    stored = json.loads(read_metadata_properties((tmp_path / "out" / "model.onnx").read_bytes())[CONTRACT_PROPERTY])
    assert stored == contract
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_export_context_slices_mismatch_raises() -> None:
    contract = build_contract(PatchFcnConfig(context_slices=5), ExportConfig())

    with pytest.raises(ValueError, match="context slices"):
        export_onnx_bytes(PatchFcn(PatchFcnConfig(width=0.03125, context_slices=3)), contract)


def test_contract_takes_measured_operating_points() -> None:
    report = EvaluationReport(
        exams=50,
        positive_exams=20,
        pixel_threshold=0.5,
        operating_points={"screening": 0.2},
        metrics={
            "screening.sensitivity": MetricEstimate(0.95, 0.85, 1.0, 1000),
            "screening.specificity": MetricEstimate(0.6, 0.45, 0.74, 1000),
        },
    )
    export = ExportConfig(operating_points=(OperatingPoint("screening", 0.2),), evaluation_dataset="toy held-out")

    contract = build_contract(PatchFcnConfig(), export, report)

    point = contract["operating_points"][0]
    assert (point["name"], point["threshold"], point["sensitivity"], point["specificity"]) == ("screening", 0.2, 0.95, 0.6)
    assert point["sensitivity_interval"] == [0.85, 1.0]
    assert contract["evaluation"] == {
        "dataset": "toy held-out",
        "exams": 50,
        "positive_exams": 20,
        "confidence": 0.95,
        "bootstrap_resamples": 1000,
    }


def test_contract_patch_tiling() -> None:
    contract = build_contract(PatchFcnConfig(), ExportConfig(patch_size=240, patch_stride=160, pixel_spacing_mm=(0.5, 0.5)))

    assert contract["tiling"] == {"mode": "patch", "patch_size": 240, "stride": 160}
    assert contract["pixel_spacing_mm"] == [0.5, 0.5]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contract_version", "2.0", "contract_version"),
        ("not_for_clinical_use", "yes", "not_for_clinical_use"),
        ("pixel_threshold", 1.5, "pixel_threshold"),
        ("exam_score_rule", "mean", "exam_score_rule"),
        ("tiling", {"mode": "patch", "patch_size": 100, "stride": 50}, "multiple of 8"),
        ("operating_points", [], "non-empty"),
        ("pixel_spacing_mm", [0.5], "pixel_spacing_mm"),
        ("input", None, "input must be an object"),
        ("tiling", "whole_slice", "tiling must be an object"),
        ("operating_points", [0.5], "must be an object"),
    ],
)
def test_validate_contract_rejects_invalid_field(field: str, value: object, message: str) -> None:
    contract = build_contract(PatchFcnConfig(), ExportConfig())
    contract[field] = value

    with pytest.raises(ContractError, match=message):
        validate_contract(contract)


def test_validate_contract_accepts_later_minor_version() -> None:
    contract = build_contract(PatchFcnConfig(), ExportConfig())
    contract["contract_version"] = "1.7"

    validate_contract(contract)


def test_validate_contract_rejects_duplicate_operating_points() -> None:
    with pytest.raises(ContractError, match="unique"):
        build_contract(PatchFcnConfig(), ExportConfig(operating_points=(OperatingPoint("a", 0.5), OperatingPoint("a", 0.3))))
