namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>
/// The coded concepts the outputs use: SNOMED CT (SCT), DICOM (DCM), LOINC (LN), UCUM and RFC 5646 codes
/// from PS3.16, plus a few concepts of this project's private coding scheme <see cref="PrivateScheme"/>
/// where DICOM defines none.
/// </summary>
public static class Codes
{
    /// <summary>Designator of this project's private coding scheme (designators starting with "99" are private).</summary>
    public const string PrivateScheme = "99ICHFN";

    public static readonly CodedConcept MorphologicallyAbnormalStructure = new("49755003", "SCT", "Morphologically abnormal structure");
    public static readonly CodedConcept IntracranialHemorrhage = new("1386000", "SCT", "Intracranial hemorrhage");
    public static readonly CodedConcept Segmentation = new("113076", "DCM", "Segmentation");
    public static readonly CodedConcept SourceImageForProcessing = new("121322", "DCM", "Source image for image processing operation");
    public static readonly CodedConcept ArtificialIntelligence = new("123110", "DCM", "Artificial Intelligence");

    public static readonly CodedConcept ImagingMeasurementReport = new("126000", "DCM", "Imaging Measurement Report");
    public static readonly CodedConcept LanguageOfContent = new("121049", "DCM", "Language of Content Item and Descendants");
    public static readonly CodedConcept EnglishUnitedStates = new("en-US", "RFC5646", "English (United States)");
    public static readonly CodedConcept ObserverType = new("121005", "DCM", "Observer Type");
    public static readonly CodedConcept Device = new("121007", "DCM", "Device");
    public static readonly CodedConcept DeviceObserverUid = new("121012", "DCM", "Device Observer UID");
    public static readonly CodedConcept DeviceObserverName = new("121013", "DCM", "Device Observer Name");
    public static readonly CodedConcept DeviceObserverManufacturer = new("121014", "DCM", "Device Observer Manufacturer");
    public static readonly CodedConcept DeviceObserverModelName = new("121015", "DCM", "Device Observer Model Name");
    public static readonly CodedConcept ProcedureReported = new("121058", "DCM", "Procedure reported");
    public static readonly CodedConcept HeadCt = new("24725-4", "LN", "Head CT");
    public static readonly CodedConcept ImageLibrary = new("111028", "DCM", "Image Library");
    public static readonly CodedConcept ImageLibraryGroup = new("126200", "DCM", "Image Library Group");
    public static readonly CodedConcept ImagingMeasurements = new("126010", "DCM", "Imaging Measurements");
    public static readonly CodedConcept MeasurementGroup = new("125007", "DCM", "Measurement Group");
    public static readonly CodedConcept TrackingIdentifier = new("112039", "DCM", "Tracking Identifier");
    public static readonly CodedConcept TrackingUniqueIdentifier = new("112040", "DCM", "Tracking Unique Identifier");
    public static readonly CodedConcept FindingCategory = new("276214006", "SCT", "Finding category");
    public static readonly CodedConcept Finding = new("121071", "DCM", "Finding");
    public static readonly CodedConcept ReferencedSegment = new("121191", "DCM", "Referenced Segment");
    public static readonly CodedConcept SourceSeriesForSegmentation = new("121232", "DCM", "Source series for segmentation");
    public static readonly CodedConcept Volume = new("118565006", "SCT", "Volume");
    public static readonly CodedConcept Milliliter = new("ml", "UCUM", "milliliter");
    public static readonly CodedConcept NoUnits = new("1", "UCUM", "no units");
    public static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    public static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");
    public static readonly CodedConcept QualitativeEvaluations = new("C0034375", "UMLS", "Qualitative Evaluations");
    public static readonly CodedConcept Comment = new("121106", "DCM", "Comment");
    public static readonly CodedConcept Present = new("52101004", "SCT", "Present");
    public static readonly CodedConcept Probability = new("122157", "DCM", "Probability");
    public static readonly CodedConcept Absent = new("272519000", "SCT", "Absent");

    public static readonly CodedConcept OperatingPoint = new("ICH0001", PrivateScheme, "Operating point");
    public static readonly CodedConcept OperatingPointThreshold = new("ICH0002", PrivateScheme, "Operating point threshold");
    public static readonly CodedConcept SimulatedGroundTruth = new("ICH0003", PrivateScheme, "Simulated ground truth");
}
