"""GPU benchmark of full-width PatchFCN (DRN-D-38) with random weights on 40-slice head CT exams.

Measures, per engine and precision, the latency of one exam (all slices, host to device and back) and the
throughput in slices per second, and relates the model's FLOPs to the GPU's peak. Engines: PyTorch (FP32 with
TF32 off, FP16 with autocast) and ONNX Runtime's CUDA provider (FP32, and FP16 when onnxconverter-common is
installed). Run it through bench/gpu/run.sh so that the training package is importable.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch

from ich_training.contract import ExportConfig, OperatingPoint, build_contract
from ich_training.export import export_onnx
from ich_training.golden import head_ct_like_input, randomise_batch_norm
from ich_training.model import PatchFcn, PatchFcnConfig, PatchFcnProbabilities
from ich_training.seeding import seed_everything

# Peaks in TFLOP/s (dense, no sparsity): FP32 without tensor cores, FP16 on tensor cores, for SXM parts. PCIe and
# NVL variants are lower, so pass --peak-fp32/--peak-fp16 for those or for any GPU not listed.
# NOTE: values as recalled from NVIDIA's product datasheets and not rechecked against them; the output prints
# the peaks it used.
PEAK_TFLOPS = {
    "H200": (67.0, 989.0),
    "H100": (67.0, 989.0),
    "A100": (19.5, 312.0),
    "L4": (30.3, 121.0),
    "A10": (31.2, 125.0),
    "T4": (8.1, 65.0),
}


@dataclass
class Result:
    engine: str
    precision: str
    batch: int
    exam_p50_ms: float
    exam_p99_ms: float
    slices_per_second: float
    achieved_tflops: float
    percent_of_peak: Optional[float]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slices", type=int, default=40, help="slices per exam (default 40)")
    parser.add_argument("--size", type=int, default=512, help="slice height and width in pixels (default 512)")
    parser.add_argument("--context", type=int, default=3, help="context slices per input stack (default 3)")
    parser.add_argument("--batch", type=int, default=16, help="slices per model run (default 16)")
    parser.add_argument("--exams", type=int, default=30, help="timed exams per engine (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed exams per engine first (default 3)")
    parser.add_argument("--peak-fp32", type=float, help="GPU peak FP32 TFLOP/s (default: datasheet value by GPU name)")
    parser.add_argument("--peak-fp16", type=float, help="GPU peak FP16 tensor TFLOP/s (default: datasheet value by GPU name)")
    parser.add_argument("--output", type=Path, default=Path("gpu-benchmark.json"), help="JSON results file (default gpu-benchmark.json)")
    return parser.parse_args()


def count_flops(model: torch.nn.Module, sample: torch.Tensor) -> float:
    """FLOPs of one forward pass (2 per multiply-add) of every convolution and linear layer, counted with hooks."""
    total = 0.0

    def on_conv(module: torch.nn.Conv2d, _inputs: tuple, output: torch.Tensor) -> None:
        nonlocal total
        kernel = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
        total += 2.0 * output.numel() * kernel

    def on_linear(module: torch.nn.Linear, _inputs: tuple, output: torch.Tensor) -> None:
        nonlocal total
        total += 2.0 * output.numel() * module.in_features

    handles = []
    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            handles.append(module.register_forward_hook(on_conv))
        elif isinstance(module, torch.nn.Linear):
            handles.append(module.register_forward_hook(on_linear))
    with torch.no_grad():
        model(sample)
    for handle in handles:
        handle.remove()
    return total


def time_exams(run_exam: Callable[[], None], exams: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        run_exam()
    latencies = []
    for _ in range(exams):
        started = time.perf_counter()
        run_exam()
        latencies.append((time.perf_counter() - started) * 1000.0)
    return latencies


def torch_exam(wrapper: torch.nn.Module, exam: np.ndarray, batch: int, fp16: bool) -> Callable[[], None]:
    host = torch.from_numpy(exam).pin_memory()

    def run() -> None:
        with torch.no_grad(), torch.autocast("cuda", dtype=torch.float16, enabled=fp16):
            for start in range(0, host.shape[0], batch):
                pixel, slice_probability = wrapper(host[start : start + batch].cuda(non_blocking=True))
                pixel.float().cpu()
                slice_probability.float().cpu()
        torch.cuda.synchronize()

    return run


def onnx_exam(model_path: Path, exam: np.ndarray, batch: int) -> Callable[[], None]:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(model_path), providers=["CUDAExecutionProvider"])
    if session.get_providers()[0] != "CUDAExecutionProvider":
        raise RuntimeError(f"ONNX Runtime did not load the CUDA provider (providers: {session.get_providers()})")

    def run() -> None:
        for start in range(0, exam.shape[0], batch):
            session.run(None, {"hu": exam[start : start + batch]})

    return run


def summarise(engine: str, precision: str, batch: int, latencies: list[float], slices: int, flops_per_slice: float, peak: Optional[float]) -> Result:
    p50, p99 = np.percentile(latencies, [50, 99])
    achieved = flops_per_slice * slices / (p50 / 1000.0) / 1e12
    return Result(engine, precision, batch, float(p50), float(p99), slices / (p50 / 1000.0), achieved, 100.0 * achieved / peak if peak else None)


def main() -> int:
    arguments = parse_arguments()
    if not torch.cuda.is_available():
        raise SystemExit("No CUDA device is visible to PyTorch; this benchmark needs an NVIDIA GPU and a CUDA build of PyTorch.")

    device_name = torch.cuda.get_device_name(0)
    datasheet = next((peaks for key, peaks in PEAK_TFLOPS.items() if key in device_name), (None, None))
    peak_fp32 = arguments.peak_fp32 or datasheet[0]
    peak_fp16 = arguments.peak_fp16 or datasheet[1]

    generator = seed_everything(7)
    model = PatchFcn(PatchFcnConfig(width=1.0, context_slices=arguments.context))
    randomise_batch_norm(model, generator)
    model.eval()
    wrapper = PatchFcnProbabilities(model).eval()

    sample = torch.zeros(1, arguments.context, arguments.size, arguments.size)
    flops_per_slice = count_flops(wrapper, sample)
    parameters = sum(p.numel() for p in model.parameters())
    exam = head_ct_like_input((arguments.slices, arguments.context, arguments.size, arguments.size), np.random.default_rng(7))

    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    results: list[Result] = []
    skipped: list[str] = []
    wrapper_gpu = wrapper.cuda()
    for precision, fp16, peak in (("FP32", False, peak_fp32), ("FP16", True, peak_fp16)):
        latencies = time_exams(torch_exam(wrapper_gpu, exam, arguments.batch, fp16), arguments.exams, arguments.warmup)
        results.append(summarise("PyTorch " + torch.__version__, precision, arguments.batch, latencies, arguments.slices, flops_per_slice, peak))
    wrapper.cpu()

    with tempfile.TemporaryDirectory() as folder:
        fp32_path = Path(folder) / "patchfcn-full.onnx"
        export = ExportConfig(model_name="patchfcn-full-random", model_version="0.0.0-benchmark",
                              intended_use="GPU benchmark with random weights. Detects nothing.",
                              operating_points=(OperatingPoint("default", 0.5),))
        export_onnx(model, build_contract(model.config, export), fp32_path)
        try:
            import onnxruntime

            latencies = time_exams(onnx_exam(fp32_path, exam, arguments.batch), arguments.exams, arguments.warmup)
            results.append(summarise("ONNX Runtime " + onnxruntime.__version__ + " CUDA", "FP32", arguments.batch, latencies,
                                     arguments.slices, flops_per_slice, peak_fp32))
            try:
                import onnx
                from onnxconverter_common import float16

                fp16_path = Path(folder) / "patchfcn-full-fp16.onnx"
                onnx.save(float16.convert_float_to_float16(onnx.load(str(fp32_path)), keep_io_types=True), str(fp16_path))
                latencies = time_exams(onnx_exam(fp16_path, exam, arguments.batch), arguments.exams, arguments.warmup)
                results.append(summarise("ONNX Runtime " + onnxruntime.__version__ + " CUDA", "FP16", arguments.batch, latencies,
                                         arguments.slices, flops_per_slice, peak_fp16))
            except ImportError as error:
                skipped.append(f"ONNX Runtime FP16: {error}; install onnx and onnxconverter-common")
        except (ImportError, RuntimeError) as error:
            skipped.append(f"ONNX Runtime: {error}; install onnxruntime-gpu built for this CUDA")

    print(f"GPU {device_name}; {platform.node()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"model DRN-D-38 full width, {parameters / 1e6:.1f} M parameters, {flops_per_slice / 1e9:.1f} GFLOP per {arguments.size}x{arguments.size} slice; "
          f"peaks FP32 {peak_fp32} / FP16 {peak_fp16} TFLOP/s")
    print(f"exam: {arguments.slices} slices, batches of {arguments.batch}, {arguments.exams} timed exams after {arguments.warmup} warm-up exams")
    print()
    print("| engine | precision | exam p50 ms | exam p99 ms | slices/s | TFLOP/s | % of peak |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        share = f"{r.percent_of_peak:.1f}" if r.percent_of_peak is not None else "peak unknown"
        print(f"| {r.engine} | {r.precision} | {r.exam_p50_ms:.1f} | {r.exam_p99_ms:.1f} | {r.slices_per_second:.1f} | {r.achieved_tflops:.1f} | {share} |")
    for line in skipped:
        print(f"skipped: {line}")

    arguments.output.write_text(json.dumps({
        "device": device_name, "flops_per_slice": flops_per_slice, "parameters": parameters,
        "peak_fp32_tflops": peak_fp32, "peak_fp16_tflops": peak_fp16, "slices": arguments.slices, "size": arguments.size,
        "results": [asdict(r) for r in results], "skipped": skipped,
    }, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
