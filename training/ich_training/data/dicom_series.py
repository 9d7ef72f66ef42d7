"""Read a CT series from DICOM files into a HU volume ordered along the slice normal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
import pydicom
from pydicom.dataset import Dataset

LOGGER = logging.getLogger(__name__)

# Air in HU. Padding pixels and values below it (circular field-of-view fill) are set to this value.
AIR_HU = -1024.0


class SeriesError(ValueError):
    """A DICOM series that cannot be turned into a volume; the message names the cause."""


@dataclass
class CtSeries:
    """A CT series as float32 HU ``[Z, H, W]`` with the geometry needed to align masks to it."""

    hu: np.ndarray
    sop_instance_uids: list[str]
    series_instance_uid: str
    # Image Position (Patient) of each slice in LPS millimetres, shape [Z, 3].
    positions: np.ndarray
    # Row direction and column direction cosines (Image Orientation (Patient)), each shape [3].
    row_direction: np.ndarray
    column_direction: np.ndarray
    # Pixel Spacing: (distance between rows, distance between columns) in millimetres.
    pixel_spacing: tuple[float, float]


def _read_datasets(files: Iterable[Path]) -> list[Dataset]:
    datasets = []
    for path in files:
        try:
            dataset = pydicom.dcmread(str(path))
        except (pydicom.errors.InvalidDicomError, OSError) as error:
            LOGGER.warning("skipping %s: not a readable DICOM file (%s)", path.name, type(error).__name__)
            continue
        if "PixelData" in dataset and "ImagePositionPatient" in dataset:
            datasets.append(dataset)
    return datasets


def _select_series(datasets: list[Dataset], series_instance_uid: Optional[str], folder: Path) -> list[Dataset]:
    uids = sorted({str(d.SeriesInstanceUID) for d in datasets})
    if series_instance_uid is not None:
        selected = [d for d in datasets if str(d.SeriesInstanceUID) == series_instance_uid]
        if not selected:
            raise SeriesError(f"series {series_instance_uid} not found in {folder}, which contains {len(uids)} other series")
        return selected
    if len(uids) != 1:
        raise SeriesError(
            f"{folder} contains {len(uids)} image series; pass the Series Instance UID of the one to read"
        )
    return datasets


def _to_hu(dataset: Dataset) -> np.ndarray:
    try:
        stored = dataset.pixel_array
    except (RuntimeError, NotImplementedError, ValueError) as error:
        syntax = dataset.file_meta.get("TransferSyntaxUID", "unknown") if hasattr(dataset, "file_meta") else "unknown"
        raise SeriesError(
            f"cannot decode the pixel data of {Path(str(dataset.filename)).name} (transfer syntax {syntax}): {error}. "
            "Install a pydicom decoder for it (for example python3-gdcm) or convert the files with 'gdcmconv --raw'"
        ) from error
    hu = stored.astype(np.float32) * float(getattr(dataset, "RescaleSlope", 1.0)) + float(
        getattr(dataset, "RescaleIntercept", 0.0)
    )
    padding = getattr(dataset, "PixelPaddingValue", None)
    if padding is not None:
        hu[stored == padding] = AIR_HU
    np.maximum(hu, AIR_HU, out=hu)
    return hu


def read_dicom_series(folder: Path, series_instance_uid: Optional[str] = None) -> CtSeries:
    """Read the DICOM image series in ``folder`` (recursively) as a HU volume.

    Slices are ordered by Image Position (Patient) projected on the slice normal, pixel values are
    rescaled to HU, and padding pixels become -1024 HU.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SeriesError(f"series folder {folder} does not exist or is not a folder")
    datasets = _read_datasets(sorted(p for p in folder.rglob("*") if p.is_file()))
    if not datasets:
        raise SeriesError(f"no DICOM images with pixel data and Image Position (Patient) in {folder}")
    datasets = _select_series(datasets, series_instance_uid, folder)

    orientation = np.asarray(datasets[0].ImageOrientationPatient, dtype=np.float64)
    row_direction, column_direction = orientation[:3], orientation[3:]
    normal = np.cross(row_direction, column_direction)
    for dataset in datasets[1:]:
        if not np.allclose(np.asarray(dataset.ImageOrientationPatient, dtype=np.float64), orientation, atol=1e-4):
            raise SeriesError(
                f"series {datasets[0].SeriesInstanceUID} mixes image orientations; "
                "only series with one orientation can be read"
            )
    datasets.sort(key=lambda d: float(np.dot(np.asarray(d.ImagePositionPatient, dtype=np.float64), normal)))

    shapes = {(int(d.Rows), int(d.Columns)) for d in datasets}
    if len(shapes) != 1:
        raise SeriesError(f"series {datasets[0].SeriesInstanceUID} mixes image sizes {sorted(shapes)}")

    spacing = datasets[0].PixelSpacing
    return CtSeries(
        hu=np.stack([_to_hu(d) for d in datasets]),
        sop_instance_uids=[str(d.SOPInstanceUID) for d in datasets],
        series_instance_uid=str(datasets[0].SeriesInstanceUID),
        positions=np.asarray([d.ImagePositionPatient for d in datasets], dtype=np.float64),
        row_direction=row_direction,
        column_direction=column_direction,
        pixel_spacing=(float(spacing[0]), float(spacing[1])),
    )
