using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>Tags of the attributes that the SEG and SR writers and the SEG reader set or read (PS3.6 keywords).</summary>
internal static class OutputTags
{
    // SOP Common, General Study, Patient, General Series, General Equipment.
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    public static readonly DicomTag ImageType = new(0x0008, 0x0008);
    public static readonly DicomTag InstanceCreationDate = new(0x0008, 0x0012);
    public static readonly DicomTag InstanceCreationTime = new(0x0008, 0x0013);
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    public static readonly DicomTag SeriesDate = new(0x0008, 0x0021);
    public static readonly DicomTag ContentDate = new(0x0008, 0x0023);
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    public static readonly DicomTag SeriesTime = new(0x0008, 0x0031);
    public static readonly DicomTag ContentTime = new(0x0008, 0x0033);
    public static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag Manufacturer = new(0x0008, 0x0070);
    public static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);
    public static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    public static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);
    public static readonly DicomTag MappingResource = new(0x0008, 0x0105);
    public static readonly DicomTag CodingSchemeIdentificationSequence = new(0x0008, 0x0110);
    public static readonly DicomTag CodingSchemeName = new(0x0008, 0x0115);
    public static readonly DicomTag CodingSchemeResponsibleOrganization = new(0x0008, 0x0116);
    public static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);
    public static readonly DicomTag ManufacturerModelName = new(0x0008, 0x1090);
    public static readonly DicomTag ReferencedPerformedProcedureStepSequence = new(0x0008, 0x1111);
    public static readonly DicomTag ReferencedSeriesSequence = new(0x0008, 0x1115);
    public static readonly DicomTag ReferencedInstanceSequence = new(0x0008, 0x114A);
    public static readonly DicomTag ReferencedSopClassUid = new(0x0008, 0x1150);
    public static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    public static readonly DicomTag ReferencedSopSequence = new(0x0008, 0x1199);
    public static readonly DicomTag DerivationDescription = new(0x0008, 0x2111);
    public static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);
    public static readonly DicomTag DerivationImageSequence = new(0x0008, 0x9124);
    public static readonly DicomTag DerivationCodeSequence = new(0x0008, 0x9215);

    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag IssuerOfPatientId = new(0x0010, 0x0021);
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    public static readonly DicomTag PatientAge = new(0x0010, 0x1010);
    public static readonly DicomTag PatientIdentityRemoved = new(0x0012, 0x0062);
    public static readonly DicomTag DeidentificationMethod = new(0x0012, 0x0063);

    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    public static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    public static readonly DicomTag KVP = new(0x0018, 0x0060);
    public static readonly DicomTag SpacingBetweenSlices = new(0x0018, 0x0088);
    public static readonly DicomTag DeviceSerialNumber = new(0x0018, 0x1000);
    public static readonly DicomTag SoftwareVersions = new(0x0018, 0x1020);
    public static readonly DicomTag ProtocolName = new(0x0018, 0x1030);
    public static readonly DicomTag GantryDetectorTilt = new(0x0018, 0x1120);
    public static readonly DicomTag ConvolutionKernel = new(0x0018, 0x1210);
    public static readonly DicomTag PatientPosition = new(0x0018, 0x5100);

    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    public static readonly DicomTag StudyId = new(0x0020, 0x0010);
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);
    public static readonly DicomTag AcquisitionNumber = new(0x0020, 0x0012);
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    public static readonly DicomTag ImagePositionPatient = new(0x0020, 0x0032);
    public static readonly DicomTag ImageOrientationPatient = new(0x0020, 0x0037);
    public static readonly DicomTag FrameOfReferenceUid = new(0x0020, 0x0052);
    public static readonly DicomTag PositionReferenceIndicator = new(0x0020, 0x1040);
    public static readonly DicomTag SliceLocation = new(0x0020, 0x1041);
    public static readonly DicomTag FrameContentSequence = new(0x0020, 0x9111);
    public static readonly DicomTag PlanePositionSequence = new(0x0020, 0x9113);
    public static readonly DicomTag PlaneOrientationSequence = new(0x0020, 0x9116);
    public static readonly DicomTag DimensionIndexValues = new(0x0020, 0x9157);
    public static readonly DicomTag DimensionOrganizationUid = new(0x0020, 0x9164);
    public static readonly DicomTag DimensionIndexPointer = new(0x0020, 0x9165);
    public static readonly DicomTag FunctionalGroupPointer = new(0x0020, 0x9167);
    public static readonly DicomTag DimensionOrganizationSequence = new(0x0020, 0x9221);
    public static readonly DicomTag DimensionIndexSequence = new(0x0020, 0x9222);
    public static readonly DicomTag DimensionOrganizationType = new(0x0020, 0x9311);
    public static readonly DicomTag DimensionDescriptionLabel = new(0x0020, 0x9421);

    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    public static readonly DicomTag Rows = new(0x0028, 0x0010);
    public static readonly DicomTag Columns = new(0x0028, 0x0011);
    public static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    public static readonly DicomTag PixelPaddingValue = new(0x0028, 0x0120);
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);
    public static readonly DicomTag RescaleType = new(0x0028, 0x1054);
    public static readonly DicomTag LossyImageCompression = new(0x0028, 0x2110);
    public static readonly DicomTag PixelMeasuresSequence = new(0x0028, 0x9110);

    // Content items of structured reports.
    public static readonly DicomTag ReferencedRequestSequence = new(0x0040, 0xA370);
    public static readonly DicomTag PerformedProcedureCodeSequence = new(0x0040, 0xA372);
    public static readonly DicomTag CurrentRequestedProcedureEvidenceSequence = new(0x0040, 0xA375);
    public static readonly DicomTag MeasurementUnitsCodeSequence = new(0x0040, 0x08EA);
    public static readonly DicomTag PurposeOfReferenceCodeSequence = new(0x0040, 0xA170);
    public static readonly DicomTag RelationshipType = new(0x0040, 0xA010);
    public static readonly DicomTag ValueType = new(0x0040, 0xA040);
    public static readonly DicomTag ConceptNameCodeSequence = new(0x0040, 0xA043);
    public static readonly DicomTag ContinuityOfContent = new(0x0040, 0xA050);
    public static readonly DicomTag Uid = new(0x0040, 0xA124);
    public static readonly DicomTag TextValue = new(0x0040, 0xA160);
    public static readonly DicomTag ConceptCodeSequence = new(0x0040, 0xA168);
    public static readonly DicomTag MeasuredValueSequence = new(0x0040, 0xA300);
    public static readonly DicomTag NumericValue = new(0x0040, 0xA30A);
    public static readonly DicomTag CompletionFlag = new(0x0040, 0xA491);
    public static readonly DicomTag VerificationFlag = new(0x0040, 0xA493);
    public static readonly DicomTag ContentTemplateSequence = new(0x0040, 0xA504);
    public static readonly DicomTag ContentSequence = new(0x0040, 0xA730);
    public static readonly DicomTag TemplateIdentifier = new(0x0040, 0xDB00);

    // Segmentation.
    public static readonly DicomTag SegmentationType = new(0x0062, 0x0001);
    public static readonly DicomTag SegmentSequence = new(0x0062, 0x0002);
    public static readonly DicomTag SegmentedPropertyCategoryCodeSequence = new(0x0062, 0x0003);
    public static readonly DicomTag SegmentNumber = new(0x0062, 0x0004);
    public static readonly DicomTag SegmentLabel = new(0x0062, 0x0005);
    public static readonly DicomTag SegmentDescription = new(0x0062, 0x0006);
    public static readonly DicomTag SegmentationAlgorithmIdentificationSequence = new(0x0062, 0x0007);
    public static readonly DicomTag SegmentAlgorithmType = new(0x0062, 0x0008);
    public static readonly DicomTag SegmentAlgorithmName = new(0x0062, 0x0009);
    public static readonly DicomTag SegmentIdentificationSequence = new(0x0062, 0x000A);
    public static readonly DicomTag ReferencedSegmentNumber = new(0x0062, 0x000B);
    public static readonly DicomTag RecommendedDisplayCIELabValue = new(0x0062, 0x000D);
    public static readonly DicomTag MaximumFractionalValue = new(0x0062, 0x000E);
    public static readonly DicomTag SegmentedPropertyTypeCodeSequence = new(0x0062, 0x000F);
    public static readonly DicomTag SegmentationFractionalType = new(0x0062, 0x0010);
    public static readonly DicomTag SegmentsOverlap = new(0x0062, 0x0013);

    public static readonly DicomTag AlgorithmFamilyCodeSequence = new(0x0066, 0x002F);
    public static readonly DicomTag AlgorithmVersion = new(0x0066, 0x0031);
    public static readonly DicomTag AlgorithmName = new(0x0066, 0x0036);

    public static readonly DicomTag ContentLabel = new(0x0070, 0x0080);
    public static readonly DicomTag ContentDescription = new(0x0070, 0x0081);
    public static readonly DicomTag ContentCreatorName = new(0x0070, 0x0084);

    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x5200, 0x9229);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x5200, 0x9230);
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
}
