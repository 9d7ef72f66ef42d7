using System.Globalization;
using IchFunctions.Dicom;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>
/// Creates the hemorrhage Segmentation (Segmentation Storage, 1.2.840.10008.5.1.4.1.1.66.4) of a source
/// series: one segment, one frame per source slice including slices without hemorrhage, the source's patient
/// and study, and UIDs derived from the source series and the model (see <see cref="OutputUids"/>).
/// The result is a data set in memory; write it with <see cref="Dicom.IO.DicomWriter"/>.
/// </summary>
public static class SegmentationWriter
{
    /// <summary>Creates a BINARY segmentation from a mask [slice, row, column] in the source's anatomical order; nonzero is hemorrhage.</summary>
    public static DicomFile CreateBinary(SourceSeries source, ReadOnlySpan<byte> mask, AlgorithmIdentification algorithm, DateTimeOffset createdAt, SegmentationOptions? options = null)
    {
        options ??= SegmentationOptions.Default;
        Validate(source, mask.Length, algorithm, options);
        if (options.Type != SegmentationType.Binary)
        {
            throw new ArgumentException($"A byte mask makes a BINARY segmentation, but the options ask for {options.Type.ToDicom()}; pass probabilities to CreateFractional.", nameof(options));
        }

        return Create(source, SegmentationPixels.PackBits(mask), algorithm, createdAt, options);
    }

    /// <summary>Creates a FRACTIONAL (PROBABILITY) segmentation from probabilities 0..1 [slice, row, column], quantised to 8 bits.</summary>
    public static DicomFile CreateFractional(SourceSeries source, ReadOnlySpan<float> probabilities, AlgorithmIdentification algorithm, DateTimeOffset createdAt, SegmentationOptions? options = null)
    {
        options = (options ?? SegmentationOptions.Default) with { Type = SegmentationType.Fractional };
        Validate(source, probabilities.Length, algorithm, options);
        return Create(source, SegmentationPixels.Quantize(probabilities), algorithm, createdAt, options);
    }

    private static void Validate(SourceSeries source, int length, AlgorithmIdentification algorithm, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(algorithm);
        algorithm.Validate();
        options.Validate();
        long expected = (long)source.Geometry.Slices.Count * source.Geometry.Rows * source.Geometry.Columns;
        if (length != expected)
        {
            throw new ArgumentException(
                $"The mask has {length} values but the source series has {expected} pixels "
                + $"({source.Geometry.Slices.Count} slices of {source.Geometry.Rows}x{source.Geometry.Columns}); index it [slice, row, column].");
        }
    }

    private static DicomFile Create(SourceSeries source, byte[] pixelData, AlgorithmIdentification algorithm, DateTimeOffset createdAt, SegmentationOptions options)
    {
        string type = options.Type.ToDicom();
        string sourceSeriesUid = source.SeriesInstanceUid;
        var seg = new DicomDataset();
        SourceModules.CopyPatientAndStudy(seg, source.First);
        SourceModules.SetInstanceAndSeries(
            seg,
            SegmentationSopClasses.Segmentation,
            OutputUids.SegmentationInstance(sourceSeriesUid, algorithm, type),
            OutputUids.SegmentationSeries(sourceSeriesUid, algorithm),
            "SEG",
            options.SeriesNumber,
            algorithm.SeriesDescription("ICH SEG"),
            createdAt,
            algorithm);

        seg.With(OutputTags.FrameOfReferenceUid, DicomVR.UI, source.FrameOfReferenceUid);
        seg.CopyOrEmpty(source.First, [(OutputTags.PositionReferenceIndicator, DicomVR.LO)]);
        AddSegmentationImage(seg, source, algorithm, options);
        seg.WithSequence(OutputTags.SegmentSequence, HemorrhageSegment(algorithm, options));
        seg.WithSequence(OutputTags.ReferencedSeriesSequence, ReferencedSeries(source));
        SegmentationFunctionalGroups.Add(seg, source, OutputUids.DimensionOrganization(sourceSeriesUid, algorithm, type));
        seg.Set(new DicomElement(OutputTags.PixelData, DicomVR.OB, pixelData));
        return new DicomFile(new DicomDataset(), seg, TransferSyntaxUids.ExplicitVRLittleEndian);
    }

    private static void AddSegmentationImage(DicomDataset seg, SourceSeries source, AlgorithmIdentification algorithm, SegmentationOptions options)
    {
        bool binary = options.Type == SegmentationType.Binary;
        int bits = binary ? 1 : 8;
        string description = algorithm.NotForClinicalUse
            ? $"Intracranial hemorrhage, {AlgorithmIdentification.NotForClinicalUseStatement}"
            : "Intracranial hemorrhage";

        seg.With(OutputTags.ImageType, DicomVR.CS, "DERIVED\\PRIMARY")
            .With(OutputTags.ContentLabel, DicomVR.CS, "HEMORRHAGE")
            .With(OutputTags.ContentDescription, DicomVR.LO, description)
            .With(OutputTags.ContentCreatorName, DicomVR.PN, "")
            .WithNumbers(OutputTags.SamplesPerPixel, DicomVR.US, 1)
            .With(OutputTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .With(OutputTags.NumberOfFrames, DicomVR.IS, source.Headers.Count.ToString(CultureInfo.InvariantCulture))
            .WithNumbers(OutputTags.Rows, DicomVR.US, source.Geometry.Rows)
            .WithNumbers(OutputTags.Columns, DicomVR.US, source.Geometry.Columns)
            .WithNumbers(OutputTags.BitsAllocated, DicomVR.US, bits)
            .WithNumbers(OutputTags.BitsStored, DicomVR.US, bits)
            .WithNumbers(OutputTags.HighBit, DicomVR.US, bits - 1)
            .WithNumbers(OutputTags.PixelRepresentation, DicomVR.US, 0)
            .With(OutputTags.LossyImageCompression, DicomVR.CS, "00")
            .With(OutputTags.SegmentationType, DicomVR.CS, options.Type.ToDicom());
        if (!binary)
        {
            seg.With(OutputTags.SegmentationFractionalType, DicomVR.CS, SegmentationFractionalType.Probability.ToDicom())
                .WithNumbers(OutputTags.MaximumFractionalValue, DicomVR.US, 255);
        }
    }

    private static DicomDataset HemorrhageSegment(AlgorithmIdentification algorithm, SegmentationOptions options)
    {
        DicomDataset algorithmItem = new DicomDataset()
            .WithSequence(OutputTags.AlgorithmFamilyCodeSequence, options.AlgorithmFamily.ToItem())
            .With(OutputTags.AlgorithmName, DicomVR.LO, algorithm.Name)
            .With(OutputTags.AlgorithmVersion, DicomVR.LO, algorithm.Version);
        (byte red, byte green, byte blue) = options.DisplayColor;
        return new DicomDataset()
            .WithNumbers(OutputTags.SegmentNumber, DicomVR.US, 1)
            .With(OutputTags.SegmentLabel, DicomVR.LO, options.SegmentLabel)
            .With(OutputTags.SegmentAlgorithmType, DicomVR.CS, SegmentAlgorithmType.Automatic.ToDicom())
            .With(OutputTags.SegmentAlgorithmName, DicomVR.LO, algorithm.Name)
            .WithSequence(OutputTags.SegmentationAlgorithmIdentificationSequence, algorithmItem)
            .WithSequence(OutputTags.SegmentedPropertyCategoryCodeSequence, Codes.MorphologicallyAbnormalStructure.ToItem())
            .WithSequence(OutputTags.SegmentedPropertyTypeCodeSequence, Codes.IntracranialHemorrhage.ToItem())
            .WithNumbers(OutputTags.RecommendedDisplayCIELabValue, DicomVR.US, [.. CieLab.FromRgb(red, green, blue).Select(value => (double)value)]);
    }

    private static DicomDataset ReferencedSeries(SourceSeries source) => new DicomDataset()
        .With(OutputTags.SeriesInstanceUid, DicomVR.UI, source.SeriesInstanceUid)
        .WithSequence(OutputTags.ReferencedInstanceSequence, source.Headers.Select(SegmentationFunctionalGroups.ImageReference));
}
