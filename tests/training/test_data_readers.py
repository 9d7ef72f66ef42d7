from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
import pytest
from dicom_factory import write_binary_seg, write_ct_series, write_nifti_mask_ras

from ich_training.data.dicom_series import SeriesError, read_dicom_series
from ich_training.data.labels import LabelError, read_rsna_labels
from ich_training.data.masks import MaskError, read_nifti_mask, read_seg_mask
from ich_training.data.nifti_series import read_nifti_series
from ich_training.data.sources import ExamSource, load_exam, physionet_sources
from ich_training.synthetic import phantom_exam


@pytest.fixture()
def exam():
    return phantom_exam("reader", np.random.default_rng(3), slices=5, size=24)


def test_dicom_series_sorted_by_position_not_file_name(tmp_path: Path, exam) -> None:
    uids = write_ct_series(tmp_path / "ct", exam.hu)

    series = read_dicom_series(tmp_path / "ct")

    assert series.sop_instance_uids == uids
    assert np.all(np.diff(series.positions[:, 2]) > 0)


def test_dicom_series_rescales_to_hu(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)

    series = read_dicom_series(tmp_path / "ct")

    assert series.hu.dtype == np.float32
    np.testing.assert_array_equal(series.hu, np.maximum(np.rint(exam.hu), -1024))


def test_dicom_series_padding_becomes_air(tmp_path: Path, exam) -> None:
    padding = np.zeros(exam.hu.shape, dtype=bool)
    padding[:, :2, :] = True
    write_ct_series(tmp_path / "ct", exam.hu, padding)

    series = read_dicom_series(tmp_path / "ct")

    assert np.all(series.hu[padding] == -1024)


def test_dicom_series_two_series_needs_uid(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct" / "a", exam.hu, series_uid="1.2.3.1")
    write_ct_series(tmp_path / "ct" / "b", exam.hu[:3], series_uid="1.2.3.2")

    with pytest.raises(SeriesError, match="contains 2 image series"):
        read_dicom_series(tmp_path / "ct")
    assert read_dicom_series(tmp_path / "ct", "1.2.3.2").hu.shape[0] == 3


def test_dicom_series_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(SeriesError, match="does not exist"):
        read_dicom_series(tmp_path / "absent")


def test_dicom_series_no_images_raises(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not DICOM")

    with pytest.raises(SeriesError, match="no DICOM images"):
        read_dicom_series(tmp_path)


def test_nifti_mask_with_flipped_axes_aligns(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)
    write_nifti_mask_ras(tmp_path / "mask.nii.gz", exam.mask)

    mask = read_nifti_mask(tmp_path / "mask.nii.gz", read_dicom_series(tmp_path / "ct"))

    assert exam.mask.sum() > 0
    np.testing.assert_array_equal(mask, exam.mask)


def test_nifti_mask_outside_series_raises(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)
    nib.save(nib.Nifti1Image(np.ones((4, 4, 4), dtype=np.uint8), np.diag([1.0, 1, 1, 1])), str(tmp_path / "far.nii"))

    with pytest.raises(MaskError, match="covers only"):
        read_nifti_mask(tmp_path / "far.nii", read_dicom_series(tmp_path / "ct"))


def test_seg_mask_placed_by_source_uid(tmp_path: Path, exam) -> None:
    uids = write_ct_series(tmp_path / "ct", exam.hu)
    write_binary_seg(tmp_path / "seg.dcm", exam.mask, uids)

    mask = read_seg_mask(tmp_path / "seg.dcm", read_dicom_series(tmp_path / "ct"))

    np.testing.assert_array_equal(mask, exam.mask)


def test_seg_mask_other_segment_is_empty(tmp_path: Path, exam) -> None:
    uids = write_ct_series(tmp_path / "ct", exam.hu)
    write_binary_seg(tmp_path / "seg.dcm", exam.mask, uids, segment_number=1)

    mask = read_seg_mask(tmp_path / "seg.dcm", read_dicom_series(tmp_path / "ct"), segment_numbers={2})

    assert mask.sum() == 0


def test_seg_mask_for_other_series_raises(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)
    write_binary_seg(tmp_path / "seg.dcm", exam.mask, ["1.2.3.4"] * exam.hu.shape[0])

    with pytest.raises(MaskError, match="no frame"):
        read_seg_mask(tmp_path / "seg.dcm", read_dicom_series(tmp_path / "ct"))


def test_seg_reader_rejects_ct_file(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)
    a_ct_file = next((tmp_path / "ct").iterdir())

    with pytest.raises(MaskError, match="modality CT"):
        read_seg_mask(a_ct_file, read_dicom_series(tmp_path / "ct"))


def test_rsna_labels_read_any_subtype(tmp_path: Path) -> None:
    csv = tmp_path / "labels.csv"
    csv.write_text("ID,Label\nID_a1_epidural,1\nID_a1_any,1\nID_b2_any,0\nID_b2_subdural,0\n")

    assert read_rsna_labels(csv) == {"ID_a1": 1, "ID_b2": 0}


@pytest.mark.parametrize(
    ("text", "message"),
    [("Image,Value\nID_a_any,1\n", "header"), ("ID,Label\nID_a_any,2\n", "not 0 or 1"), ("ID,Label\nID_a_epidural,1\n", "no rows")],
)
def test_rsna_labels_invalid_file_raises(tmp_path: Path, text: str, message: str) -> None:
    csv = tmp_path / "labels.csv"
    csv.write_text(text)

    with pytest.raises(LabelError, match=message):
        read_rsna_labels(csv)


def test_rsna_labels_attach_to_slices_by_sop_uid(tmp_path: Path, exam) -> None:
    uids = write_ct_series(tmp_path / "ct", exam.hu)
    # RSNA image ids are the slices' SOP Instance UIDs (there of the form "ID_<hex>").
    rows = [f"{uid}_any,{z % 2}" for z, uid in enumerate(uids[:-1])]
    (tmp_path / "labels.csv").write_text("ID,Label\n" + "\n".join(rows) + "\n")

    loaded = load_exam(ExamSource(series=tmp_path / "ct", rsna_labels=tmp_path / "labels.csv"))

    assert loaded.mask is None
    assert loaded.slice_labels.tolist() == [0, 1, 0, 1, -1]


def test_physionet_layout_with_nifti_ct(tmp_path: Path, exam) -> None:
    (tmp_path / "ct_scans").mkdir()
    (tmp_path / "masks").mkdir()
    write_nifti_mask_ras(tmp_path / "masks" / "049.nii", exam.mask)
    # The CT volume goes through the same writer as the mask, as HU int16.
    affine = nib.load(str(tmp_path / "masks" / "049.nii")).affine
    volume = np.ascontiguousarray(np.transpose(np.rint(exam.hu), (2, 1, 0))[:, ::-1, :]).astype(np.int16)
    nib.save(nib.Nifti1Image(volume, affine), str(tmp_path / "ct_scans" / "049.nii"))

    sources = physionet_sources(tmp_path)
    loaded = load_exam(sources[0])

    assert [s.exam_id for s in sources] == ["049"]
    np.testing.assert_array_equal(loaded.mask, exam.mask)
    np.testing.assert_array_equal(loaded.hu, np.maximum(np.rint(exam.hu), -1024))


def test_nifti_series_geometry_matches_dicom(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu)
    write_nifti_mask_ras(tmp_path / "ct.nii", exam.mask)

    dicom, nifti = read_dicom_series(tmp_path / "ct"), read_nifti_series(tmp_path / "ct.nii")

    np.testing.assert_allclose(nifti.positions[:, 2], dicom.positions[:, 2])
    assert nifti.pixel_spacing == pytest.approx(dicom.pixel_spacing)


def test_physionet_missing_mask_raises(tmp_path: Path) -> None:
    (tmp_path / "ct_scans" / "050").mkdir(parents=True)
    (tmp_path / "masks").mkdir()

    with pytest.raises(FileNotFoundError, match="no mask"):
        physionet_sources(tmp_path)


def test_dicom_series_truncated_pixel_data_raises(tmp_path: Path, exam) -> None:
    write_ct_series(tmp_path / "ct", exam.hu[:1])
    path = next((tmp_path / "ct").iterdir())
    dataset = pydicom.dcmread(str(path))
    dataset.PixelData = dataset.PixelData[:100]
    dataset.save_as(str(path))

    with pytest.raises(SeriesError, match="cannot decode the pixel data of IM"):
        read_dicom_series(tmp_path / "ct")
