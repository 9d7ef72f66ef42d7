"""Toy head CT phantoms with simulated hemorrhage, for tests and the toy experiment.

These are deliberately simple stand-ins (ellipses of brain and skull with a bright blob) for
checking that code runs and learns. They are not realistic CT, and results on them are no evidence
of clinical performance.
"""

from __future__ import annotations

import numpy as np

from .data.dataset import Exam


def phantom_exam(
    exam_id: str,
    rng: np.random.Generator,
    slices: int = 8,
    size: int = 64,
    hemorrhage: bool = True,
    noise_hu: float = 8.0,
) -> Exam:
    """Build one phantom exam: air, a skull ring, brain, and (if ``hemorrhage``) a blob of 60-80 HU on some slices."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    centre = size / 2 + rng.uniform(-2, 2, size=2)
    radii = size * rng.uniform(0.34, 0.42, size=2)
    radius = np.sqrt(((y - centre[0]) / radii[0]) ** 2 + ((x - centre[1]) / radii[1]) ** 2)

    base = np.full((size, size), -1024.0, dtype=np.float32)
    base[radius < 1.0] = 1000.0
    base[radius < 0.88] = rng.uniform(25, 40)
    hu = np.repeat(base[None], slices, axis=0)
    hu = hu + rng.normal(0, noise_hu, size=hu.shape).astype(np.float32) * (hu > -1000)
    mask = np.zeros(hu.shape, dtype=np.int8)

    if hemorrhage:
        first = int(rng.integers(0, slices // 2))
        last = int(rng.integers(first + 1, slices + 1))
        angle = rng.uniform(0, 2 * np.pi)
        distance = rng.uniform(0.2, 0.55)
        blob_y = centre[0] + np.sin(angle) * distance * radii[0]
        blob_x = centre[1] + np.cos(angle) * distance * radii[1]
        blob_radius = rng.uniform(0.05, 0.12) * size
        for z in range(first, last):
            inside = (y - blob_y) ** 2 + (x - blob_x) ** 2 < blob_radius**2
            hu[z][inside] = rng.uniform(60, 80) + rng.normal(0, noise_hu, size=int(inside.sum()))
            mask[z][inside] = 1
    return Exam(exam_id, hu.astype(np.float32), mask=mask)


def phantom_exams(count: int, seed: int, positive_fraction: float = 0.5, **options: int) -> list[Exam]:
    """Build ``count`` phantom exams from ``seed``; about ``positive_fraction`` of them have hemorrhage."""
    rng = np.random.default_rng(seed)
    return [
        phantom_exam(f"phantom-{seed}-{i}", rng, hemorrhage=bool(rng.random() < positive_fraction), **options)
        for i in range(count)
    ]
