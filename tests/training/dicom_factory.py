"""Write small CT series, NIfTI masks and DICOM SEG files with pydicom and nibabel for reader tests."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"
SLOPE, INTERCEPT, PADDING = 1.0, -1024.0, -2000
ROW_SPACING, COLUMN_SPACING, SLICE_SPACING = 0.5, 0.7, 2.5
ORIGIN = np.array([-20.0, -30.0, 40.0])


def _file_dataset(path: Path, sop_class: str) -> FileDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    dataset.SOPClassUID = sop_class
    dataset.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    dataset.is_little_endian, dataset.is_implicit_VR = True, False
    return dataset


def write_ct_series(
    folder: Path, hu: np.ndarray, padding_mask: Optional[np.ndarray] = None, series_uid: Optional[str] = None
) -> list[str]:
    """Write ``hu`` [Z, H, W] as one DICOM file per slice, in scrambled file order; returns the SOP UIDs by z.

    Slice z sits at ORIGIN + z * SLICE_SPACING along the normal; pixels where ``padding_mask`` is set
    hold the Pixel Padding Value.
    """
    folder.mkdir(parents=True, exist_ok=True)
    series_uid = series_uid or generate_uid()
    study_uid = generate_uid()
    uids = []
    z_count = hu.shape[0]
    for z in range(z_count):
        # File names run against slice order, so a reader that sorts by name gets the order wrong.
        path = folder / f"IM{(z_count - z) * 7 % 101:04d}.dcm"
        dataset = _file_dataset(path, CT_IMAGE_STORAGE)
        dataset.Modality = "CT"
        dataset.StudyInstanceUID, dataset.SeriesInstanceUID = study_uid, series_uid
        dataset.InstanceNumber = z_count - z
        dataset.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        dataset.ImagePositionPatient = [float(v) for v in ORIGIN + [0, 0, z * SLICE_SPACING]]
        dataset.PixelSpacing = [ROW_SPACING, COLUMN_SPACING]
        dataset.Rows, dataset.Columns = hu.shape[1], hu.shape[2]
        dataset.SamplesPerPixel, dataset.PhotometricInterpretation = 1, "MONOCHROME2"
        dataset.BitsAllocated, dataset.BitsStored, dataset.HighBit, dataset.PixelRepresentation = 16, 16, 15, 1
        dataset.RescaleSlope, dataset.RescaleIntercept = SLOPE, INTERCEPT
        stored = np.rint((hu[z] - INTERCEPT) / SLOPE).astype(np.int16)
        if padding_mask is not None:
            dataset.PixelPaddingValue = PADDING
            stored[padding_mask[z]] = PADDING
        dataset.PixelData = stored.tobytes()
        dataset.save_as(str(path), write_like_original=False)
        uids.append(str(dataset.SOPInstanceUID))
    return uids


def write_nifti_mask_ras(path: Path, mask: np.ndarray) -> None:
    """Write ``mask`` [Z, H, W] (on the series grid) as NIfTI the way dcm2niix lays it out: i = column, j = row flipped to RAS."""
    z_count, rows, columns = mask.shape
    # Voxel (i, j, k) = (column, rows - 1 - row, slice). LPS x = ORIGIN.x + column * COLUMN_SPACING, so
    # RAS x = -LPS x; LPS y = ORIGIN.y + row * ROW_SPACING, so RAS y = -(ORIGIN.y + (rows - 1 - j) * ROW_SPACING).
    data = np.transpose(mask, (2, 1, 0))[:, ::-1, :]
    affine = np.array(
        [
            [-COLUMN_SPACING, 0, 0, -ORIGIN[0]],
            [0, ROW_SPACING, 0, -(ORIGIN[1] + (rows - 1) * ROW_SPACING)],
            [0, 0, SLICE_SPACING, ORIGIN[2]],
            [0, 0, 0, 1],
        ]
    )
    nib.save(nib.Nifti1Image(np.ascontiguousarray(data).astype(np.uint8), affine), str(path))


def write_binary_seg(path: Path, mask: np.ndarray, sop_uids: list[str], segment_number: int = 1) -> None:
    """Write a BINARY DICOM SEG with one frame per slice of ``mask`` [Z, H, W] that has any positive pixel."""
    seg = _file_dataset(path, SEGMENTATION_STORAGE)
    seg.Modality = "SEG"
    seg.SegmentationType = "BINARY"
    seg.Rows, seg.Columns = mask.shape[1], mask.shape[2]
    seg.SamplesPerPixel, seg.PhotometricInterpretation = 1, "MONOCHROME2"
    seg.BitsAllocated, seg.BitsStored, seg.HighBit, seg.PixelRepresentation = 1, 1, 0, 0
    segment = Dataset()
    segment.SegmentNumber = segment_number
    segment.SegmentLabel = "hemorrhage"
    seg.SegmentSequence = [segment]

    frames, groups = [], []
    for z in np.flatnonzero(mask.reshape(mask.shape[0], -1).any(axis=1)):
        source = Dataset()
        source.ReferencedSOPClassUID, source.ReferencedSOPInstanceUID = CT_IMAGE_STORAGE, sop_uids[z]
        derivation = Dataset()
        derivation.SourceImageSequence = [source]
        identification = Dataset()
        identification.ReferencedSegmentNumber = segment_number
        group = Dataset()
        group.DerivationImageSequence = [derivation]
        group.SegmentIdentificationSequence = [identification]
        groups.append(group)
        frames.append(mask[z].astype(bool).ravel())
    seg.NumberOfFrames = len(frames)
    seg.PerFrameFunctionalGroupsSequence = groups
    seg.PixelData = np.packbits(np.concatenate(frames), bitorder="little").tobytes()
    seg.save_as(str(path), write_like_original=False)
