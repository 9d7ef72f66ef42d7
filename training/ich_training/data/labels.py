"""Slice-level hemorrhage labels from an RSNA-style CSV."""

from __future__ import annotations

import csv
from pathlib import Path

# RSNA Intracranial Hemorrhage Detection rows are "ID_<image id>_<subtype>,<0 or 1>"; the image id is
# the slice's SOP Instance UID and the subtype "any" is 1 when any hemorrhage is present.
ANY_SUBTYPE = "any"


class LabelError(ValueError):
    """A label file that cannot be read; the message names the line and the value."""


def read_rsna_labels(path: Path, subtype: str = ANY_SUBTYPE) -> dict[str, int]:
    """Read ``subtype`` labels (default: any hemorrhage) keyed by SOP Instance UID."""
    labels: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:2]] != ["ID", "Label"]:
            raise LabelError(f"{path}: the first line must be the header 'ID,Label', got {header}")
        for line_number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) < 2:
                raise LabelError(f"{path} line {line_number}: expected 'ID,Label', got {row}")
            image_id, _, row_subtype = row[0].rpartition("_")
            if not image_id:
                raise LabelError(f"{path} line {line_number}: ID '{row[0]}' has no '_<subtype>' suffix")
            if row_subtype != subtype:
                continue
            if row[1].strip() not in ("0", "1"):
                raise LabelError(f"{path} line {line_number}: label '{row[1]}' is not 0 or 1")
            labels[image_id] = int(row[1])
    if not labels:
        raise LabelError(f"{path}: no rows with subtype '{subtype}'")
    return labels
