"""Reader checks against real head CT series from the shared DICOM test data (skipped where it is absent)."""

import numpy as np
import pydicom
import pytest
from shared_data import require_test_data

from ich_training.data.dicom_series import SeriesError, read_dicom_series
from ich_training.data.masks import read_seg_mask


def test_ge_tilted_series_reads_in_position_order() -> None:
    folder = require_test_data("dcm_qa_ct/GE_head_tilt")

    series = read_dicom_series(folder)

    assert series.hu.shape == (28, 512, 512)
    normal = np.cross(series.row_direction, series.column_direction)
    assert np.all(np.diff(series.positions @ normal) > 0)
    headers = [pydicom.dcmread(str(p), stop_before_pixels=True) for p in folder.iterdir()]
    instance_by_uid = {str(h.SOPInstanceUID): int(h.InstanceNumber) for h in headers}
    instances_in_order = [instance_by_uid[uid] for uid in series.sop_instance_uids]
    # This scanner numbers instances along the slice normal.
    assert instances_in_order == sorted(instances_in_order) or instances_in_order == sorted(instances_in_order, reverse=True)


def test_ge_padding_value_becomes_air() -> None:
    folder = require_test_data("dcm_qa_ct/GE_head_tilt")

    series = read_dicom_series(folder)

    # Pixel Padding Value is -1500 with rescale intercept 0, so no HU below -1024 may remain.
    assert float(series.hu.min()) == -1024.0
    assert float(series.hu.max()) > 1000.0


def test_philips_axial_series_rescales_unsigned_pixels() -> None:
    series = read_dicom_series(require_test_data("dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm"))

    assert series.hu.shape == (28, 512, 512)
    assert np.allclose(np.diff(series.positions[:, 2]), 5.0, atol=0.01)
    assert float(series.hu.min()) >= -1024.0


def test_philips_study_folder_needs_series_uid() -> None:
    folder = require_test_data("dcm_qa_ct/Philips_head_phantom")

    with pytest.raises(SeriesError, match="image series"):
        read_dicom_series(folder)


def _positive_pixels_by_source_uid(seg_path) -> dict[str, int]:
    seg = pydicom.dcmread(str(seg_path))
    counts: dict[str, int] = {}
    for frame, group in zip(seg.pixel_array.reshape(-1, seg.Rows, seg.Columns), seg.PerFrameFunctionalGroupsSequence):
        uid = str(group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
        counts[uid] = counts.get(uid, 0) + int((frame > 0).sum())
    return counts


@pytest.mark.parametrize("seg_name", ["seg_image_ct_binary.dcm", "seg_image_ct_binary_fractional.dcm"])
def test_highdicom_seg_frames_land_on_source_slices(seg_name: str) -> None:
    series = read_dicom_series(require_test_data("seg/highdicom/source_ct_pydicom_CT2"))
    seg_path = require_test_data(f"seg/highdicom/{seg_name}")

    mask = read_seg_mask(seg_path, series)

    expected = _positive_pixels_by_source_uid(seg_path)
    actual = {uid: int(mask[z].sum()) for z, uid in enumerate(series.sop_instance_uids) if mask[z].any()}
    assert actual == expected
    assert int(mask.sum()) == 638


def test_highdicom_true_fractional_thresholds_at_half() -> None:
    series = read_dicom_series(require_test_data("seg/highdicom/source_ct_pydicom_CT2"))
    binary = read_seg_mask(require_test_data("seg/highdicom/seg_image_ct_binary.dcm"), series)

    fractional = read_seg_mask(require_test_data("seg/highdicom/seg_image_ct_true_fractional.dcm"), series)

    np.testing.assert_array_equal(fractional, binary)


def test_highdicom_overlapping_segments_union() -> None:
    series = read_dicom_series(require_test_data("seg/highdicom/source_ct_pydicom_CT2"))
    seg_path = require_test_data("seg/highdicom/seg_image_ct_binary_overlap.dcm")

    union = read_seg_mask(seg_path, series)
    second = read_seg_mask(seg_path, series, segment_numbers={2})

    # Segment 2 (4 pixels on each of 4 slices) lies inside segment 1, so the union counts it once.
    assert int(union.sum()) < sum(_positive_pixels_by_source_uid(seg_path).values())
    assert int(second.sum()) == 16
    assert np.all(union[second == 1] == 1)


def test_dcmqi_liver_seg_on_512_slices() -> None:
    series = read_dicom_series(require_test_data("seg/dcmqi/source_ct-3slice"))
    seg_path = require_test_data("seg/dcmqi/liver.dcm")

    mask = read_seg_mask(seg_path, series)

    assert mask.shape == (3, 512, 512)
    assert int(mask.sum()) == sum(_positive_pixels_by_source_uid(seg_path).values())


@pytest.mark.parametrize("compressed", ["CT2_JPLL", "CT2_RLE", "CT2_J2KR", "CT2_JLSL"])
def test_lossless_transfer_syntaxes_give_reference_hu(tmp_path, compressed: str) -> None:
    reference = require_test_data("nema_wg04_ct2/CT2_UNC")
    encoded = require_test_data(f"nema_wg04_ct2/{compressed}")
    (tmp_path / "reference").mkdir()
    (tmp_path / "encoded").mkdir()
    (tmp_path / "reference" / "slice.dcm").symlink_to(reference)
    (tmp_path / "encoded" / "slice.dcm").symlink_to(encoded)

    expected = read_dicom_series(tmp_path / "reference").hu
    actual = read_dicom_series(tmp_path / "encoded").hu

    np.testing.assert_array_equal(actual, expected)
    assert float(expected.min()) == -1024.0
