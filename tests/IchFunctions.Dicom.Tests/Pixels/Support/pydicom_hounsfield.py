"""Write a CT file's pixels as Hounsfield units computed with pydicom and NumPy.

Usage: pydicom_hounsfield.py INPUT OUTPUT [SLOPE INTERCEPT [PADDING LIMIT]]

Reads Rescale Slope/Intercept, Pixel Padding Value and Pixel Padding Range Limit from the file unless given,
maps padding (matched on stored values) to -1024, rounds half away from zero, clamps to int16, and writes
little-endian int16. It is an independent oracle for the toolkit's Hounsfield conversion.
"""

import sys

import numpy as np
import pydicom

AIR = -1024


def main(source: str, target: str, overrides: list[str]) -> None:
    dataset = pydicom.dcmread(source, force=True)
    stored = dataset.pixel_array.astype(np.int64)
    slope = float(overrides[0]) if overrides else float(dataset.get("RescaleSlope", 1))
    intercept = float(overrides[1]) if overrides else float(dataset.get("RescaleIntercept", 0))
    scaled = stored * slope + intercept
    hu = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    hu = np.clip(hu, -32768, 32767).astype("<i2")
    if len(overrides) == 4:
        first, last = int(overrides[2]), int(overrides[3])
    elif "PixelPaddingValue" in dataset:
        first = int(dataset.PixelPaddingValue)
        last = int(dataset.get("PixelPaddingRangeLimit", first))
    else:
        first = last = None
    if first is not None:
        low, high = min(first, last), max(first, last)
        hu[(stored >= low) & (stored <= high)] = AIR
    hu.tofile(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
