"""Read a CT volume stored as NIfTI (as in the PhysioNet CT-ICH data set) into the same form as a DICOM series."""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np

from .dicom_series import AIR_HU, CtSeries, SeriesError

_RAS_TO_LPS = np.diag([-1.0, -1.0, 1.0])


def read_nifti_series(path: Path) -> CtSeries:
    """Read a NIfTI CT volume in HU, reoriented to the usual DICOM axial layout.

    Whatever the stored axis order, slices run from inferior to superior, rows from anterior to
    posterior and columns from right to left (LPS), the layout of axial CT in DICOM. Values below
    -1024 HU become -1024. The SOP Instance UIDs are synthetic (``<file name>#<slice>``) because
    NIfTI has none.
    """
    try:
        image = nib.load(str(path))
    except (FileNotFoundError, nib.filebasedimages.ImageFileError) as error:
        raise SeriesError(f"cannot read NIfTI volume {path}: {error}") from error
    if len(image.shape) == 4 and image.shape[3] == 1:
        image = image.slicer[..., 0]
    if len(image.shape) != 3:
        raise SeriesError(f"NIfTI volume {path} has shape {image.shape}; a 3-D volume is required")
    if np.linalg.matrix_rank(image.affine[:3, :3]) < 3:
        raise SeriesError(f"NIfTI volume {path} has a singular affine; its geometry is unknown")
    to_lps = nib.orientations.ornt_transform(
        nib.orientations.io_orientation(image.affine), nib.orientations.axcodes2ornt(("L", "P", "S"))
    )
    image = image.as_reoriented(to_lps)
    data = np.asanyarray(image.dataobj)

    affine = image.affine
    axes_lps = _RAS_TO_LPS @ affine[:3, :3]
    spacing = np.linalg.norm(axes_lps, axis=0)
    row_direction, column_direction = axes_lps[:, 0] / spacing[0], axes_lps[:, 1] / spacing[1]
    origin = _RAS_TO_LPS @ affine[:3, 3]
    positions = origin + np.arange(data.shape[2])[:, None] * axes_lps[:, 2]

    hu = np.ascontiguousarray(np.transpose(data, (2, 1, 0)), dtype=np.float32)
    np.maximum(hu, AIR_HU, out=hu)
    name = Path(path).name
    return CtSeries(
        hu=hu,
        sop_instance_uids=[f"{name}#{k}" for k in range(hu.shape[0])],
        series_instance_uid=name,
        positions=positions,
        row_direction=row_direction,
        column_direction=column_direction,
        pixel_spacing=(float(spacing[1]), float(spacing[0])),
    )
