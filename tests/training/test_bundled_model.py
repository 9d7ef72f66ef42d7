"""The demonstration model bundled in models/ carries a valid contract, so a broken file fails the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ich_training.contract import CONTRACT_PROPERTY, validate_contract
from ich_training.onnx_metadata import read_graph_signature, read_metadata_properties

BUNDLED_MODEL = Path(__file__).resolve().parents[2] / "models" / "patchfcn-demo.onnx"
REQUIRED_OPERATING_POINTS = {"default", "high_sensitivity"}


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    assert BUNDLED_MODEL.is_file(), f"{BUNDLED_MODEL} is missing; the ich command loads it by default"
    return BUNDLED_MODEL.read_bytes()


@pytest.fixture(scope="module")
def contract(model_bytes: bytes) -> dict:
    properties = read_metadata_properties(model_bytes)
    assert CONTRACT_PROPERTY in properties, f"{BUNDLED_MODEL} has no {CONTRACT_PROPERTY} metadata"
    return json.loads(properties[CONTRACT_PROPERTY])


def test_bundled_model_contract_is_valid(contract: dict) -> None:
    validate_contract(contract)


def test_bundled_model_is_named_patchfcn_demo(contract: dict) -> None:
    assert contract["model_name"] == "patchfcn-demo"


def test_bundled_model_is_marked_not_for_clinical_use(contract: dict) -> None:
    assert contract["not_for_clinical_use"] is True


def test_bundled_model_operating_points_are_measured(contract: dict) -> None:
    points = {p["name"]: p for p in contract["operating_points"]}
    assert REQUIRED_OPERATING_POINTS <= set(points), f"operating points {sorted(points)}"
    for name in REQUIRED_OPERATING_POINTS:
        for metric in ("sensitivity", "specificity"):
            value = points[name][metric]
            assert value is not None and 0.0 <= value <= 1.0, f"{name}.{metric} is {value}"


def test_bundled_model_graph_has_contract_tensors(model_bytes: bytes, contract: dict) -> None:
    signature = read_graph_signature(model_bytes)
    inputs = [name for name, _, _ in signature["inputs"]]
    outputs = {name for name, _, _ in signature["outputs"]}
    assert inputs == [contract["input"]["name"]]
    assert outputs == {contract["outputs"]["pixel"], contract["outputs"]["slice"]}


def test_bundled_model_is_small(model_bytes: bytes) -> None:
    assert len(model_bytes) < 16 * 1024 * 1024, f"{len(model_bytes)} bytes; the bundled model should stay a few MB"
