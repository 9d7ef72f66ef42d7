"""Locate the shared DICOM test data, which is read in place and never copied into the repository."""

import os
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def require_test_data(relative_path: str) -> Path:
    """Return a path under the shared DICOM test data, or skip the test when it is absent.

    The folder is ``ICH_TEST_DATA_DIR`` when set, else ``../shared/data/dicom`` beside the repository.
    """
    configured = os.environ.get("ICH_TEST_DATA_DIR")
    root = Path(configured) if configured else REPOSITORY_ROOT.parent / "shared" / "data" / "dicom"
    path = root / relative_path
    if not path.exists():
        pytest.skip(f"DICOM test data '{relative_path}' not found under {root}; set ICH_TEST_DATA_DIR to the test data folder")
    return path
