using IchFunctions.Dicom;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>
/// Builds the Multi-frame Functional Groups and Multi-frame Dimension modules of a one-segment segmentation
/// with one frame per source slice. Positions, orientation, spacing and thickness are the source headers'
/// own elements, copied unchanged, so frames of a gantry-tilted series land where the source pixels are.
/// </summary>
internal static class SegmentationFunctionalGroups
{
    public static void Add(DicomDataset seg, SourceSeries source, string dimensionOrganizationUid)
    {
        bool uniformThickness = source.Headers.Select(header => header.GetString(OutputTags.SliceThickness)).Distinct(StringComparer.Ordinal).Count() == 1;

        var shared = new DicomDataset()
            .WithSequence(OutputTags.PlaneOrientationSequence, Copy(source.First, OutputTags.ImageOrientationPatient));
        if (uniformThickness)
        {
            shared.WithSequence(OutputTags.PixelMeasuresSequence, PixelMeasures(source, 0));
        }

        var perFrame = new List<DicomDataset>(source.Headers.Count);
        for (int slice = 0; slice < source.Headers.Count; slice++)
        {
            DicomDataset header = source.Headers[slice];
            var frame = new DicomDataset()
                .WithSequence(OutputTags.DerivationImageSequence, DerivationImage(header))
                .WithSequence(OutputTags.FrameContentSequence, new DicomDataset().WithNumbers(OutputTags.DimensionIndexValues, DicomVR.UL, 1, slice + 1))
                .WithSequence(OutputTags.PlanePositionSequence, Copy(header, OutputTags.ImagePositionPatient))
                .WithSequence(OutputTags.SegmentIdentificationSequence, new DicomDataset().WithNumbers(OutputTags.ReferencedSegmentNumber, DicomVR.US, 1));
            if (!uniformThickness)
            {
                // Pixel Measures is shared or per-frame, never both; a mixed-thickness series needs it per frame.
                frame.WithSequence(OutputTags.PixelMeasuresSequence, PixelMeasures(source, slice));
            }

            perFrame.Add(frame);
        }

        seg.WithSequence(OutputTags.SharedFunctionalGroupsSequence, shared)
            .WithSequence(OutputTags.PerFrameFunctionalGroupsSequence, perFrame);
        AddDimensions(seg, dimensionOrganizationUid);
    }

    private static void AddDimensions(DicomDataset seg, string dimensionOrganizationUid)
    {
        DicomDataset segmentDimension = new DicomDataset()
            .WithTag(OutputTags.DimensionIndexPointer, OutputTags.ReferencedSegmentNumber)
            .WithTag(OutputTags.FunctionalGroupPointer, OutputTags.SegmentIdentificationSequence)
            .With(OutputTags.DimensionOrganizationUid, DicomVR.UI, dimensionOrganizationUid)
            .With(OutputTags.DimensionDescriptionLabel, DicomVR.LO, "ReferencedSegmentNumber");
        DicomDataset positionDimension = new DicomDataset()
            .WithTag(OutputTags.DimensionIndexPointer, OutputTags.ImagePositionPatient)
            .WithTag(OutputTags.FunctionalGroupPointer, OutputTags.PlanePositionSequence)
            .With(OutputTags.DimensionOrganizationUid, DicomVR.UI, dimensionOrganizationUid)
            .With(OutputTags.DimensionDescriptionLabel, DicomVR.LO, "ImagePositionPatient");

        seg.WithSequence(OutputTags.DimensionOrganizationSequence, new DicomDataset().With(OutputTags.DimensionOrganizationUid, DicomVR.UI, dimensionOrganizationUid))
            .WithSequence(OutputTags.DimensionIndexSequence, segmentDimension, positionDimension)
            .With(OutputTags.DimensionOrganizationType, DicomVR.CS, "3D");
    }

    private static DicomDataset DerivationImage(DicomDataset header)
    {
        DicomDataset sourceImage = ImageReference(header)
            .WithSequence(OutputTags.PurposeOfReferenceCodeSequence, Codes.SourceImageForProcessing.ToItem());
        return new DicomDataset()
            .WithSequence(OutputTags.SourceImageSequence, sourceImage)
            .WithSequence(OutputTags.DerivationCodeSequence, Codes.Segmentation.ToItem());
    }

    /// <summary>Returns an item with Referenced SOP Class UID and Referenced SOP Instance UID of a source image.</summary>
    public static DicomDataset ImageReference(DicomDataset header) => new DicomDataset()
        .With(OutputTags.ReferencedSopClassUid, DicomVR.UI, header.GetString(OutputTags.SopClassUid) ?? "")
        .With(OutputTags.ReferencedSopInstanceUid, DicomVR.UI, header.GetString(OutputTags.SopInstanceUid) ?? "");

    /// <summary>Pixel Spacing and Slice Thickness of one slice; the slab thickness stands in where the header has no thickness.</summary>
    private static DicomDataset PixelMeasures(SourceSeries source, int slice)
    {
        DicomDataset header = source.Headers[slice];
        DicomDataset measures = Copy(header, OutputTags.PixelSpacing);
        if (header.Find(OutputTags.SliceThickness) is { Value.IsEmpty: false } thickness)
        {
            measures.Set(thickness);
        }
        else
        {
            measures.WithDecimals(OutputTags.SliceThickness, source.Geometry.SlabThicknesses[slice]);
        }

        return measures;
    }

    private static DicomDataset Copy(DicomDataset header, DicomTag tag)
    {
        var item = new DicomDataset();
        item.CopyFrom(header, [tag]);
        return item;
    }
}
