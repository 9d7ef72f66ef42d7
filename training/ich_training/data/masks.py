"""Read hemorrhage masks (NIfTI volumes, DICOM SEG) aligned voxel for voxel to a CT series."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Collection, Optional

import nibabel as nib
import numpy as np
import pydicom

from .dicom_series import CtSeries

LOGGER = logging.getLogger(__name__)

# DICOM patient coordinates are LPS; NIfTI world coordinates are RAS.
_LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0])


class MaskError(ValueError):
    """A mask that cannot be aligned to its CT series; the message names the cause."""


def _pixel_world_positions(series: CtSeries) -> np.ndarray:
    """Return the LPS centre of every pixel, shape [Z, H, W, 3]."""
    z, h, w = series.hu.shape
    row_spacing, column_spacing = series.pixel_spacing
    rows = np.arange(h, dtype=np.float64)[:, None, None] * row_spacing * series.column_direction
    columns = np.arange(w, dtype=np.float64)[None, :, None] * column_spacing * series.row_direction
    return series.positions[:, None, None, :] + (rows + columns)[None]


def read_nifti_mask(path: Path, series: CtSeries, max_outside_fraction: float = 0.01) -> np.ndarray:
    """Read a NIfTI label volume and resample it (nearest neighbour) onto the series' pixel grid.

    Alignment uses the NIfTI affine (RAS) and the DICOM geometry (LPS), so masks written with flipped
    or permuted axes, as converters such as dcm2niix do, land on the right pixels. Any label above 0
    counts as hemorrhage. Returns uint8 ``[Z, H, W]`` with values 0 and 1.
    """
    try:
        image = nib.load(str(path))
    except (FileNotFoundError, nib.filebasedimages.ImageFileError) as error:
        raise MaskError(f"cannot read NIfTI mask {path}: {error}") from error
    labels = np.asanyarray(image.dataobj)
    if labels.ndim == 4 and labels.shape[3] == 1:
        labels = labels[..., 0]
    if labels.ndim != 3:
        raise MaskError(f"NIfTI mask {path} has shape {labels.shape}; a 3-D label volume is required")

    world_ras = _pixel_world_positions(series) @ _LPS_TO_RAS.T
    to_voxel = np.linalg.inv(image.affine)
    voxels = np.rint(world_ras @ to_voxel[:3, :3].T + to_voxel[:3, 3]).astype(np.int64)

    inside = np.all((voxels >= 0) & (voxels < np.asarray(labels.shape)), axis=-1)
    outside_fraction = 1.0 - float(inside.mean())
    if outside_fraction > max_outside_fraction:
        raise MaskError(
            f"NIfTI mask {path} covers only {100 * (1 - outside_fraction):.1f}% of the series' pixels; "
            "check that it belongs to this series and that its affine is right"
        )
    mask = np.zeros(series.hu.shape, dtype=np.uint8)
    picked = voxels[inside]
    mask[inside] = labels[picked[:, 0], picked[:, 1], picked[:, 2]] > 0
    return mask


def _frame_source_uid(frame: pydicom.Dataset) -> Optional[str]:
    for derivation in getattr(frame, "DerivationImageSequence", []):
        for source in getattr(derivation, "SourceImageSequence", []):
            return str(source.ReferencedSOPInstanceUID)
    return None


def _frame_slice_index(frame: pydicom.Dataset, series: CtSeries, uid_to_index: dict[str, int]) -> Optional[int]:
    uid = _frame_source_uid(frame)
    if uid is not None and uid in uid_to_index:
        return uid_to_index[uid]
    planes = getattr(frame, "PlanePositionSequence", None)
    if planes:
        position = np.asarray(planes[0].ImagePositionPatient, dtype=np.float64)
        distances = np.linalg.norm(series.positions - position, axis=1)
        nearest = int(np.argmin(distances))
        if distances[nearest] < 0.01:
            return nearest
    return None


def read_seg_mask(path: Path, series: CtSeries, segment_numbers: Optional[Collection[int]] = None) -> np.ndarray:
    """Read a DICOM Segmentation and return the union of its segments on the series' grid.

    Frames are placed by the Referenced SOP Instance UID of their source image, or else by Image
    Position (Patient). ``segment_numbers`` limits the union to those segments. FRACTIONAL
    segmentations count as hemorrhage where the value is at least half the maximum.
    Returns uint8 ``[Z, H, W]`` with values 0 and 1.
    """
    try:
        seg = pydicom.dcmread(str(path))
    except (pydicom.errors.InvalidDicomError, OSError) as error:
        raise MaskError(f"cannot read DICOM SEG {path}: {error}") from error
    if getattr(seg, "Modality", None) != "SEG":
        raise MaskError(f"{path} has modality {getattr(seg, 'Modality', 'missing')}; a DICOM SEG is required")
    z, h, w = series.hu.shape
    if (int(seg.Rows), int(seg.Columns)) != (h, w):
        raise MaskError(f"SEG {path} is {seg.Rows}x{seg.Columns} but the series is {h}x{w}; resampling is not supported")

    frames = seg.pixel_array
    if frames.ndim == 2:
        frames = frames[None]
    if str(seg.SegmentationType) == "FRACTIONAL":
        frames = frames >= int(seg.MaximumFractionalValue) / 2
    frame_groups = seg.PerFrameFunctionalGroupsSequence
    if len(frame_groups) != frames.shape[0]:
        raise MaskError(f"SEG {path} has {frames.shape[0]} frames but {len(frame_groups)} per-frame groups")

    uid_to_index = {uid: i for i, uid in enumerate(series.sop_instance_uids)}
    mask = np.zeros((z, h, w), dtype=np.uint8)
    unplaced = 0
    for frame_pixels, frame in zip(frames, frame_groups):
        segment = int(frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        if segment_numbers is not None and segment not in segment_numbers:
            continue
        index = _frame_slice_index(frame, series, uid_to_index)
        if index is None:
            unplaced += 1
            continue
        mask[index] |= (frame_pixels > 0).astype(np.uint8)
    if unplaced:
        if unplaced == len(frame_groups):
            raise MaskError(f"no frame of SEG {path} references series {series.series_instance_uid}")
        LOGGER.warning("SEG %s: %d of %d frames reference no slice of the series", path.name, unplaced, len(frame_groups))
    return mask
