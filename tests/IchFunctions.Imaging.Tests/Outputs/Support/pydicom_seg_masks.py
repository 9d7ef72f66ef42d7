"""Decode a DICOM SEG with pydicom and numpy, independently of the C# reader, into per-segment masks.

Usage: pydicom_seg_masks.py SEG [SOURCE_FOLDER]

With a source folder the masks are aligned to its images ordered by Image Position (Patient) along the
slice normal, each frame placed by its referenced SOP Instance UID or else by its position. Without one,
the planes are the SEG's own distinct frame positions ordered along the normal. Prints JSON: the number of
planes and, per segment number, the count of nonzero voxels, their sum and the SHA-256 of the mask bytes.
"""
import hashlib
import json
import os
import sys

import numpy as np
import pydicom

TOLERANCE_MM = 0.01


def first(item, keyword, shared):
    if keyword in item and len(item[keyword].value) > 0:
        return item[keyword][0]
    if shared is not None and keyword in shared and len(shared[keyword].value) > 0:
        return shared[keyword][0]
    return None


def main():
    seg = pydicom.dcmread(sys.argv[1])
    frames = seg.pixel_array.reshape(int(seg.NumberOfFrames), seg.Rows, seg.Columns)
    shared = seg.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in seg else None
    per_frame = seg.PerFrameFunctionalGroupsSequence
    orientation = first(per_frame[0], "PlaneOrientationSequence", shared)
    iop = np.array(orientation.ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])

    def position(item):
        plane = first(item, "PlanePositionSequence", shared)
        return None if plane is None else np.array(plane.ImagePositionPatient, dtype=float)

    if len(sys.argv) > 2:
        sources = [pydicom.dcmread(os.path.join(sys.argv[2], name), stop_before_pixels=True) for name in os.listdir(sys.argv[2])]
        sources.sort(key=lambda ds: float(np.dot(np.array(ds.ImagePositionPatient, dtype=float), normal)))
        uids = [str(ds.SOPInstanceUID) for ds in sources]
        planes = [np.array(ds.ImagePositionPatient, dtype=float) for ds in sources]
    else:
        uids = []
        planes = []
        for item in per_frame:
            p = position(item)
            if not any(np.linalg.norm(p - q) <= TOLERANCE_MM for q in planes):
                planes.append(p)
        planes.sort(key=lambda p: float(np.dot(p, normal)))

    labelmap = seg.SegmentationType == "LABELMAP"
    padding = seg.get("PixelPaddingValue")
    numbers = [int(s.SegmentNumber) for s in seg.SegmentSequence]
    masks = {n: np.zeros((len(planes), seg.Rows, seg.Columns), dtype=np.uint8) for n in numbers}
    for index, item in enumerate(per_frame):
        references = []
        for derivation in item.get("DerivationImageSequence", []):
            for source in derivation.get("SourceImageSequence", []):
                references.append(str(source.ReferencedSOPInstanceUID))
        target = next((uids.index(uid) for uid in references if uid in uids), None)
        if target is None:
            p = position(item)
            target = next(i for i, q in enumerate(planes) if np.linalg.norm(p - q) <= TOLERANCE_MM)
        frame = frames[index]
        if labelmap:
            for n in numbers:
                hit = (frame == n) if padding is None else ((frame == n) & (frame != padding))
                masks[n][target][hit] = 1
        else:
            segment = int(first(item, "SegmentIdentificationSequence", shared).ReferencedSegmentNumber)
            masks[segment][target] = np.maximum(masks[segment][target], np.minimum(frame, 255).astype(np.uint8))

    result = {
        "planes": len(planes),
        "segments": {
            str(n): {"count": int(np.count_nonzero(m)), "sum": int(m.sum(dtype=np.int64)), "sha256": hashlib.sha256(m.tobytes()).hexdigest()}
            for n, m in masks.items()
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
