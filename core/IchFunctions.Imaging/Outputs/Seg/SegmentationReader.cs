using System.Buffers.Binary;
using IchFunctions.Dicom;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>
/// Reads BINARY, FRACTIONAL and LABELMAP segmentations (Segmentation Storage and Label Map Segmentation
/// Storage) with native pixel data. Malformed input raises <see cref="InvalidDataException"/> naming the
/// attribute; encapsulated pixel data raises <see cref="NotSupportedException"/> naming the transfer syntax.
/// </summary>
public static class SegmentationReader
{
    public static Segmentation Read(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        DicomDataset seg = file.Dataset;
        string sopClass = seg.GetString(OutputTags.SopClassUid) ?? "";
        if (sopClass is not (SegmentationSopClasses.Segmentation or SegmentationSopClasses.LabelMapSegmentation))
        {
            throw new InvalidDataException(
                $"SOP Class UID {sopClass} is not Segmentation Storage ({SegmentationSopClasses.Segmentation}) or Label Map Segmentation Storage ({SegmentationSopClasses.LabelMapSegmentation}).");
        }

        SegmentationType type = SegmentationEnumText.ParseSegmentationType(seg.GetString(OutputTags.SegmentationType));
        int rows = Required(seg, OutputTags.Rows, "Rows");
        int columns = Required(seg, OutputTags.Columns, "Columns");
        int frameCount = Required(seg, OutputTags.NumberOfFrames, "Number of Frames");
        int bitsAllocated = Required(seg, OutputTags.BitsAllocated, "Bits Allocated");
        CheckBits(type, bitsAllocated);

        DicomDataset? shared = seg.FindSequence(OutputTags.SharedFunctionalGroupsSequence) is { Items.Count: > 0 } sharedSequence ? sharedSequence.Items[0] : null;
        IReadOnlyList<DicomDataset> perFrame = seg.FindSequence(OutputTags.PerFrameFunctionalGroupsSequence)?.Items ?? [];
        if (perFrame.Count != frameCount)
        {
            throw new InvalidDataException($"Number of Frames is {frameCount} but the Per-frame Functional Groups Sequence has {perFrame.Count} items.");
        }

        (Vector3D? row, Vector3D? column) = Orientation(perFrame.Count > 0 ? perFrame[0] : null, shared);
        var frames = new SegmentationFrame[frameCount];
        for (int i = 0; i < frameCount; i++)
        {
            frames[i] = ReadFrame(perFrame[i], shared, type, i);
        }

        ushort[] pixels = ReadPixels(file, type, bitsAllocated, (long)frameCount * rows * columns);
        int maximum = type == SegmentationType.Fractional ? Required(seg, OutputTags.MaximumFractionalValue, "Maximum Fractional Value") : 1;
        return new Segmentation(
            seg.GetString(OutputTags.SopInstanceUid) ?? "", type, maximum, seg.GetInt32(OutputTags.PixelPaddingValue), rows, columns,
            row, column, ReadSegments(seg), frames, pixels);
    }

    private static void CheckBits(SegmentationType type, int bitsAllocated)
    {
        bool valid = type switch
        {
            SegmentationType.Binary => bitsAllocated == 1,
            SegmentationType.Fractional => bitsAllocated == 8,
            _ => bitsAllocated is 8 or 16,
        };
        if (!valid)
        {
            throw new InvalidDataException($"Bits Allocated is {bitsAllocated}, which a {type.ToDicom()} segmentation cannot have (BINARY 1, FRACTIONAL 8, LABELMAP 8 or 16).");
        }
    }

    private static List<Segment> ReadSegments(DicomDataset seg)
    {
        IReadOnlyList<DicomDataset> items = seg.FindSequence(OutputTags.SegmentSequence)?.Items ?? [];
        if (items.Count == 0)
        {
            throw new InvalidDataException("The Segment Sequence (0062,0002) is missing or empty.");
        }

        return [.. items.Select(item => new Segment(
            Required(item, OutputTags.SegmentNumber, "Segment Number"),
            item.GetString(OutputTags.SegmentLabel) ?? "",
            CodedConcept.FromSequence(item, OutputTags.SegmentedPropertyCategoryCodeSequence),
            CodedConcept.FromSequence(item, OutputTags.SegmentedPropertyTypeCodeSequence),
            item.GetString(OutputTags.SegmentAlgorithmType) ?? ""))];
    }

    private static SegmentationFrame ReadFrame(DicomDataset frame, DicomDataset? shared, SegmentationType type, int index)
    {
        int segment = 0;
        if (type != SegmentationType.Labelmap)
        {
            DicomDataset identification = Group(frame, shared, OutputTags.SegmentIdentificationSequence)
                ?? throw new InvalidDataException($"Frame {index + 1} has no Segment Identification Sequence, so its segment is unknown.");
            segment = Required(identification, OutputTags.ReferencedSegmentNumber, "Referenced Segment Number");
        }

        var references = new List<string>();
        foreach (DicomDataset derivation in frame.FindSequence(OutputTags.DerivationImageSequence)?.Items ?? [])
        {
            foreach (DicomDataset source in derivation.FindSequence(OutputTags.SourceImageSequence)?.Items ?? [])
            {
                if (source.GetString(OutputTags.ReferencedSopInstanceUid) is { Length: > 0 } uid)
                {
                    references.Add(uid);
                }
            }
        }

        Vector3D? position = null;
        if (Group(frame, shared, OutputTags.PlanePositionSequence)?.GetDoubles(OutputTags.ImagePositionPatient) is { Length: 3 } values)
        {
            position = new Vector3D(values[0], values[1], values[2]);
        }

        return new SegmentationFrame(segment, references, position);
    }

    private static (Vector3D? Row, Vector3D? Column) Orientation(DicomDataset? firstFrame, DicomDataset? shared)
    {
        DicomDataset? group = firstFrame is null ? null : Group(firstFrame, shared, OutputTags.PlaneOrientationSequence);
        if (group?.GetDoubles(OutputTags.ImageOrientationPatient) is not { Length: 6 } values)
        {
            return (null, null);
        }

        return (new Vector3D(values[0], values[1], values[2]), new Vector3D(values[3], values[4], values[5]));
    }

    /// <summary>Returns the first item of a functional group macro, from the frame's own groups or else from the shared ones.</summary>
    private static DicomDataset? Group(DicomDataset frame, DicomDataset? shared, DicomTag macro)
    {
        if (frame.FindSequence(macro) is { Items.Count: > 0 } own)
        {
            return own.Items[0];
        }

        return shared?.FindSequence(macro) is { Items.Count: > 0 } common ? common.Items[0] : null;
    }

    private static ushort[] ReadPixels(DicomFile file, SegmentationType type, int bitsAllocated, long pixelCount)
    {
        DicomElement element = file.Dataset.Find(OutputTags.PixelData)
            ?? throw new InvalidDataException("The segmentation has no Pixel Data (7FE0,0010); read the file with its pixel data, not header-only.");
        if (element is DicomEncapsulatedPixelData)
        {
            throw new NotSupportedException(
                $"The segmentation's Pixel Data is encapsulated (transfer syntax {file.TransferSyntaxUid}); decode it to Explicit VR Little Endian first.");
        }

        if (pixelCount > Array.MaxLength)
        {
            throw new InvalidDataException($"The segmentation claims {pixelCount} pixels, more than one array can hold.");
        }

        ReadOnlySpan<byte> bytes = element.Value.Span;
        var pixels = new ushort[pixelCount];
        if (type == SegmentationType.Binary)
        {
            var unpacked = new byte[pixelCount];
            SegmentationPixels.UnpackBits(bytes, 0, unpacked);
            for (int i = 0; i < unpacked.Length; i++)
            {
                pixels[i] = unpacked[i];
            }

            return pixels;
        }

        long needed = pixelCount * (bitsAllocated / 8);
        if (bytes.Length < needed)
        {
            throw new InvalidDataException($"Pixel Data has {bytes.Length} bytes but {pixelCount} pixels of {bitsAllocated} bits need {needed}; the file is truncated.");
        }

        // NOTE: 16-bit LABELMAP pixel data is decoded here, but no SEG in the test data has it, so that path is untested against another reader.
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = bitsAllocated == 8 ? bytes[i] : BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        }

        return pixels;
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string name) =>
        dataset.GetInt32(tag) ?? throw new InvalidDataException($"{name} {tag} is missing.");
}
