"""Write a file's pixel data as pydicom decodes it, in the toolkit's decoded layout.

Usage: pydicom_pixels.py INPUT OUTPUT

The output is every frame's samples, little endian, interleaved (Planar Configuration 0), at the width of
Bits Allocated, masked or sign-extended by pydicom. It is an independent oracle for the native pixel decoder.
"""

import sys

import numpy as np
import pydicom


def main(source: str, target: str) -> None:
    dataset = pydicom.dcmread(source, force=True)
    pixels = dataset.pixel_array
    width = int(dataset.BitsAllocated) // 8
    kind = "i" if int(dataset.PixelRepresentation) == 1 else "u"
    pixels.astype(np.dtype(f"<{kind}{width}"), copy=False).tofile(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
