#!/usr/bin/env bash
# Benchmarks full-width PatchFCN (DRN-D-38, random weights) on an NVIDIA GPU: PyTorch and ONNX Runtime, FP32 and
# FP16, 40-slice exams at 512x512. Needs Python 3 with a CUDA build of PyTorch; ONNX Runtime rows also need the
# onnxruntime-gpu package (and onnxconverter-common for ONNX Runtime FP16). Arguments go to gpu_benchmark.py.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
PYTHONPATH="$REPO_ROOT/training${PYTHONPATH:+:$PYTHONPATH}" exec "$PYTHON" "$REPO_ROOT/bench/gpu/gpu_benchmark.py" "$@"
