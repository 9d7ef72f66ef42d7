"""Peer for the head-series benchmark: pydicom + NumPy decode 28 slices into an int16 HU volume.

Usage: pydicom_peer.py SERIES_DIR JPEG_LOSSLESS_DIR [REPEATS]

Prints one JSON object with, per variant, the median milliseconds of
  read_and_decode: pydicom.dcmread of every file, pixel_array, HU conversion into the volume;
  decode_only: the same with the files already parsed (convert_pixel_data forced each repeat),
and the name of the pixel data handler pydicom chose for each transfer syntax.
Run with Debian's /usr/bin/python3 (python3-pydicom, python3-numpy, python3-gdcm).
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pydicom
from pydicom import config

AIR = -1024


def handler_name(dataset: pydicom.Dataset) -> str:
    syntax = dataset.file_meta.TransferSyntaxUID
    for handler in config.pixel_data_handlers:
        if handler.supports_transfer_syntax(syntax) and handler.is_available():
            return handler.HANDLER_NAME
    return "none"


def to_hounsfield(dataset: pydicom.Dataset, target: np.ndarray) -> None:
    stored = dataset.pixel_array
    slope = float(dataset.get("RescaleSlope", 1))
    intercept = float(dataset.get("RescaleIntercept", 0))
    if slope == 1 and intercept == int(intercept):
        hu = stored.astype(np.int32) + int(intercept)
    else:
        hu = np.rint(stored * slope + intercept)
    np.clip(hu, -32768, 32767, out=hu)
    target[...] = hu
    if "PixelPaddingValue" in dataset:
        first = int(dataset.PixelPaddingValue)
        last = int(dataset.get("PixelPaddingRangeLimit", first))
        target[(stored >= min(first, last)) & (stored <= max(first, last))] = AIR


def measure(folder: Path, repeats: int) -> dict:
    files = sorted(folder.glob("*.dcm"))
    parsed = [pydicom.dcmread(path) for path in files]
    volume = np.empty((len(files), parsed[0].Rows, parsed[0].Columns), dtype=np.int16)

    read_and_decode = []
    decode_only = []
    for _ in range(repeats):
        start = time.perf_counter()
        for index, path in enumerate(files):
            to_hounsfield(pydicom.dcmread(path), volume[index])
        read_and_decode.append((time.perf_counter() - start) * 1000)

        start = time.perf_counter()
        for index, dataset in enumerate(parsed):
            # pydicom caches the decoded array; clearing its pixel id makes it decode again.
            dataset._pixel_id = {}
            dataset.convert_pixel_data()
            to_hounsfield(dataset, volume[index])
        decode_only.append((time.perf_counter() - start) * 1000)

    return {
        "files": len(files),
        "transfer_syntax": str(parsed[0].file_meta.TransferSyntaxUID),
        "handler": handler_name(parsed[0]),
        "read_and_decode_ms": statistics.median(read_and_decode),
        "decode_only_ms": statistics.median(decode_only),
    }


def main() -> None:
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    result = {
        "pydicom": pydicom.__version__,
        "numpy": np.__version__,
        "uncompressed": measure(Path(sys.argv[1]), repeats),
        "jpeg_lossless": measure(Path(sys.argv[2]), repeats),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
