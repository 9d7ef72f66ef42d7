"""Peer timing for HeaderReadBenchmarks: pydicom reads the same series headers (stop_before_pixels)."""
import statistics
import sys
import timeit
from pathlib import Path

import pydicom


def read_headers(files: list[Path]) -> int:
    return sum(int(pydicom.dcmread(f, stop_before_pixels=True).Rows) for f in files)


def main() -> None:
    files = sorted(Path(sys.argv[1]).glob("*.dcm"))
    read_headers(files)  # warm the page cache and pydicom's imports
    runs = timeit.repeat(lambda: read_headers(files), number=1, repeat=50)
    print(f"pydicom {pydicom.__version__} header read of {len(files)} files: "
          f"median {statistics.median(runs) * 1000:.2f} ms, min {min(runs) * 1000:.2f} ms over {len(runs)} runs")


if __name__ == "__main__":
    main()
