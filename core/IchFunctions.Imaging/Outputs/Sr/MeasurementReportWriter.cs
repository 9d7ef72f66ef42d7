using IchFunctions.Dicom;
using IchFunctions.Imaging.Outputs.Common;
using static IchFunctions.Imaging.Outputs.Sr.SrContent;

namespace IchFunctions.Imaging.Outputs.Sr;

/// <summary>
/// Creates the hemorrhage report as a TID 1500 Measurement Report in a Comprehensive SR
/// (1.2.840.10008.5.1.4.1.1.88.33). It names the model as device observer and lists the source images. A TID
/// 1411 volumetric group references the SEG's hemorrhage segment and states the volume in mL. An exam-level
/// group states the probability, the operating point and its decision. The not-for-clinical-use statement
/// follows where the model contract requires it. UIDs follow <see cref="OutputUids"/>.
/// </summary>
public static class MeasurementReportWriter
{
    public const string ComprehensiveSrStorage = "1.2.840.10008.5.1.4.1.1.88.33";

    public static DicomFile Create(MeasurementReportInput input, DateTimeOffset createdAt, int seriesNumber = 9902)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.Validate();
        AlgorithmIdentification algorithm = input.Algorithm;
        SourceSeries source = input.Source;

        var report = new DicomDataset();
        SourceModules.CopyPatientAndStudy(report, source.First);
        SourceModules.SetInstanceAndSeries(
            report,
            ComprehensiveSrStorage,
            OutputUids.ReportInstance(source.SeriesInstanceUid, algorithm),
            OutputUids.ReportSeries(source.SeriesInstanceUid, algorithm),
            "SR",
            seriesNumber,
            algorithm.SeriesDescription("ICH SR"),
            createdAt,
            algorithm);

        report.WithSequence(OutputTags.ReferencedPerformedProcedureStepSequence)
            .WithSequence(OutputTags.PerformedProcedureCodeSequence)
            .With(OutputTags.CompletionFlag, DicomVR.CS, "COMPLETE")
            .With(OutputTags.VerificationFlag, DicomVR.CS, "UNVERIFIED")
            .WithSequence(OutputTags.CurrentRequestedProcedureEvidenceSequence, Evidence(input))
            .WithSequence(OutputTags.CodingSchemeIdentificationSequence, PrivateCodingScheme());

        report.With(OutputTags.ValueType, DicomVR.CS, "CONTAINER")
            .WithSequence(OutputTags.ConceptNameCodeSequence, Codes.ImagingMeasurementReport.ToItem())
            .With(OutputTags.ContinuityOfContent, DicomVR.CS, "SEPARATE")
            .WithSequence(OutputTags.ContentTemplateSequence, new DicomDataset()
                .With(OutputTags.MappingResource, DicomVR.CS, "DCMR")
                .With(OutputTags.TemplateIdentifier, DicomVR.CS, "1500"))
            .WithSequence(OutputTags.ContentSequence, RootContent(input));
        return new DicomFile(new DicomDataset(), report, TransferSyntaxUids.ExplicitVRLittleEndian);
    }

    private static List<DicomDataset> RootContent(MeasurementReportInput input)
    {
        AlgorithmIdentification algorithm = input.Algorithm;
        var content = new List<DicomDataset>
        {
            Code(SrRelationship.HasConceptModifier, Codes.LanguageOfContent, Codes.EnglishUnitedStates),
            Code(SrRelationship.HasObservationContext, Codes.ObserverType, Codes.Device),
            UidReference(SrRelationship.HasObservationContext, Codes.DeviceObserverUid, OutputUids.DeviceObserver(algorithm)),
            Text(SrRelationship.HasObservationContext, Codes.DeviceObserverName, algorithm.Name),
            Text(SrRelationship.HasObservationContext, Codes.DeviceObserverManufacturer, AlgorithmIdentification.Manufacturer),
            Text(SrRelationship.HasObservationContext, Codes.DeviceObserverModelName, $"{algorithm.Name} {algorithm.Version}"),
            Code(SrRelationship.HasConceptModifier, Codes.ProcedureReported, Codes.HeadCt),
            Container(SrRelationship.Contains, Codes.ImageLibrary, Container(SrRelationship.Contains, Codes.ImageLibraryGroup, [.. input.Source.Headers.Select(header =>
                Image(SrRelationship.Contains, null, header.GetString(OutputTags.SopClassUid) ?? "", header.GetString(OutputTags.SopInstanceUid) ?? ""))])),
            Container(SrRelationship.Contains, Codes.ImagingMeasurements, VolumeGroup(input), ExamGroup(input)),
        };

        if (algorithm.NotForClinicalUse)
        {
            content.Add(Container(SrRelationship.Contains, Codes.QualitativeEvaluations,
                Text(SrRelationship.Contains, Codes.Comment, $"{AlgorithmIdentification.NotForClinicalUseStatement}: research software, not a medical device.")));
        }

        return content;
    }

    /// <summary>TID 1411 Volumetric ROI Measurements: the hemorrhage segment and its volume.</summary>
    private static DicomDataset VolumeGroup(MeasurementReportInput input)
    {
        string sourceSeries = input.Source.SeriesInstanceUid;
        return Container(SrRelationship.Contains, Codes.MeasurementGroup,
            Text(SrRelationship.HasObservationContext, Codes.TrackingIdentifier, "Intracranial hemorrhage"),
            UidReference(SrRelationship.HasObservationContext, Codes.TrackingUniqueIdentifier, OutputUids.TrackingUid(sourceSeries, input.Algorithm, "hemorrhage-volume")),
            Code(SrRelationship.Contains, Codes.FindingCategory, Codes.MorphologicallyAbnormalStructure),
            Code(SrRelationship.Contains, Codes.Finding, Codes.IntracranialHemorrhage),
            Image(SrRelationship.Contains, Codes.ReferencedSegment,
                input.Segmentation.GetString(OutputTags.SopClassUid) ?? "", input.Segmentation.GetString(OutputTags.SopInstanceUid) ?? "", segmentNumber: 1),
            UidReference(SrRelationship.Contains, Codes.SourceSeriesForSegmentation, sourceSeries),
            Number(SrRelationship.Contains, Codes.Volume, Math.Round(input.HemorrhageVolumeMl, 3), Codes.Milliliter, AlgorithmItems(input.Algorithm)));
    }

    /// <summary>Exam-level group: probability, operating point, threshold and the decision at that threshold.</summary>
    private static DicomDataset ExamGroup(MeasurementReportInput input)
    {
        CodedConcept decision = input.Decision.Positive ? Codes.Present : Codes.Absent;
        return Container(SrRelationship.Contains, Codes.MeasurementGroup,
            Text(SrRelationship.HasObservationContext, Codes.TrackingIdentifier, "Exam-level hemorrhage classification"),
            UidReference(SrRelationship.HasObservationContext, Codes.TrackingUniqueIdentifier, OutputUids.TrackingUid(input.Source.SeriesInstanceUid, input.Algorithm, "exam")),
            Code(SrRelationship.Contains, Codes.Finding, Codes.IntracranialHemorrhage),
            Number(SrRelationship.Contains, Codes.Probability, Math.Round(input.ExamProbability, 6), Codes.NoUnits, AlgorithmItems(input.Algorithm)),
            Text(SrRelationship.Contains, Codes.OperatingPoint, input.Decision.Name),
            Number(SrRelationship.Contains, Codes.OperatingPointThreshold, input.Decision.Threshold, Codes.NoUnits),
            Code(SrRelationship.Contains, Codes.IntracranialHemorrhage, decision));
    }

    /// <summary>TID 4019 Algorithm Identification.</summary>
    private static DicomDataset[] AlgorithmItems(AlgorithmIdentification algorithm) =>
    [
        Text(SrRelationship.HasConceptModifier, Codes.AlgorithmName, algorithm.Name),
        Text(SrRelationship.HasConceptModifier, Codes.AlgorithmVersion, algorithm.Version),
    ];

    private static DicomDataset Evidence(MeasurementReportInput input)
    {
        DicomDataset sourceSeries = new DicomDataset()
            .With(OutputTags.SeriesInstanceUid, DicomVR.UI, input.Source.SeriesInstanceUid)
            .WithSequence(OutputTags.ReferencedSopSequence, input.Source.Headers.Select(Seg.SegmentationFunctionalGroups.ImageReference));
        DicomDataset segSeries = new DicomDataset()
            .With(OutputTags.SeriesInstanceUid, DicomVR.UI, input.Segmentation.GetString(OutputTags.SeriesInstanceUid) ?? "")
            .WithSequence(OutputTags.ReferencedSopSequence, Seg.SegmentationFunctionalGroups.ImageReference(input.Segmentation));
        return new DicomDataset()
            .With(OutputTags.StudyInstanceUid, DicomVR.UI, input.Source.StudyInstanceUid)
            .WithSequence(OutputTags.ReferencedSeriesSequence, sourceSeries, segSeries);
    }

    private static DicomDataset PrivateCodingScheme() => new DicomDataset()
        .With(OutputTags.CodingSchemeDesignator, DicomVR.SH, Codes.PrivateScheme)
        .With(OutputTags.CodingSchemeName, DicomVR.ST, "IchFunctions hemorrhage result concepts")
        .With(OutputTags.CodingSchemeResponsibleOrganization, DicomVR.ST, AlgorithmIdentification.Manufacturer);
}
