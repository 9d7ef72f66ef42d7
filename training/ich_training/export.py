"""ONNX export of PatchFCN under the model contract."""

from __future__ import annotations

import inspect
import io
import os
import warnings
from pathlib import Path
from typing import Any

import torch

from .contract import CONTRACT_PROPERTY, INPUT_NAME, PIXEL_OUTPUT_NAME, SLICE_OUTPUT_NAME, contract_json, validate_contract
from .model import PatchFcn, PatchFcnProbabilities
from .onnx_metadata import add_metadata_property

ONNX_OPSET = 17


def export_onnx_bytes(model: PatchFcn, contract: dict[str, Any], sample_size: int = 64) -> bytes:
    """Export the model (in eval mode, sigmoid outputs) with dynamic N, H and W and the contract attached."""
    validate_contract(contract)
    if contract["input"]["context_slices"] != model.config.context_slices:
        raise ValueError(
            f"the contract sets {contract['input']['context_slices']} context slices but the model "
            f"takes {model.config.context_slices}; build the contract from the model's configuration"
        )
    wrapper = PatchFcnProbabilities(model).eval()
    sample = torch.full((1, model.config.context_slices, sample_size, sample_size), 40.0)
    options: dict[str, Any] = {}
    # PyTorch 2.9 and later default to the dynamo exporter. The TorchScript exporter is the one that
    # PyTorch 1.13 has and that honours dynamic_axes, so request it where the argument exists.
    # NOTE: PyTorch 2.x deprecates the TorchScript exporter; moving to dynamo needs dynamic_shapes instead.
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # PyTorch 1.13 warns about every constant in shape inference; the exported graph is unaffected.
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")
        torch.onnx.export(
            wrapper,
            (sample,),
            buffer,
            opset_version=ONNX_OPSET,
            input_names=[INPUT_NAME],
            output_names=[PIXEL_OUTPUT_NAME, SLICE_OUTPUT_NAME],
            dynamic_axes={
                INPUT_NAME: {0: "N", 2: "H", 3: "W"},
                PIXEL_OUTPUT_NAME: {0: "N", 2: "H", 3: "W"},
                SLICE_OUTPUT_NAME: {0: "N"},
            },
            do_constant_folding=True,
            **options,
        )
    return add_metadata_property(buffer.getvalue(), CONTRACT_PROPERTY, contract_json(contract))


def export_onnx(model: PatchFcn, contract: dict[str, Any], path: Path) -> None:
    """Write the exported model to ``path`` atomically."""
    data = export_onnx_bytes(model, contract)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
