"""PyTorch peer of the scoring benchmark: the same model and series, in PyTorch on 2 CPU threads.

Usage: score_peer.py CHECKPOINT SERIES_DIR [REPEATS]  (with PYTHONPATH=training and Debian's /usr/bin/python3)
Times reading the series with pydicom (ich_training's reader) plus whole-slice inference of every slice,
and prints one line with the median seconds and slices per second.
"""

import statistics
import sys
import time
from pathlib import Path

import torch

from ich_training.data.dicom_series import read_dicom_series
from ich_training.data.dataset import Exam
from ich_training.inference import predict_exam
from ich_training.training import load_model


def main(checkpoint: str, series: str, repeats: int) -> None:
    torch.set_num_threads(2)
    model = load_model(Path(checkpoint)).eval()
    times = []
    slices = 0
    for _ in range(repeats + 1):
        start = time.perf_counter()
        volume = read_dicom_series(Path(series))
        exam = Exam(exam_id="bench", hu=volume.hu, mask=None)
        pixels, _ = predict_exam(model, exam, batch_size=4)
        times.append(time.perf_counter() - start)
        slices = pixels.shape[0]
    median = statistics.median(times[1:])
    print(f"{slices} slices, median {median:.2f} s over {repeats} runs ({slices / median:.2f} slices/s), torch {torch.__version__}, 2 threads")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
