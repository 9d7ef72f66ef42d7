using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>
/// Copies the Patient and General Study modules from a source image into a derived object, so the output
/// joins the source's study. Only the attributes those modules define are copied, nothing else of the source.
/// </summary>
internal static class SourceModules
{
    private static readonly (DicomTag, DicomVR)[] PatientAndStudyType2 =
    [
        (OutputTags.PatientName, DicomVR.PN),
        (OutputTags.PatientId, DicomVR.LO),
        (OutputTags.PatientBirthDate, DicomVR.DA),
        (OutputTags.PatientSex, DicomVR.CS),
        (OutputTags.StudyDate, DicomVR.DA),
        (OutputTags.StudyTime, DicomVR.TM),
        (OutputTags.ReferringPhysicianName, DicomVR.PN),
        (OutputTags.StudyId, DicomVR.SH),
        (OutputTags.AccessionNumber, DicomVR.SH),
    ];

    private static readonly DicomTag[] PatientAndStudyType3 =
    [
        OutputTags.IssuerOfPatientId,
        OutputTags.StudyDescription,
    ];

    /// <summary>
    /// Copies Specific Character Set (so copied names decode as in the source), the patient and study
    /// attributes, and the Study Instance UID.
    /// </summary>
    public static void CopyPatientAndStudy(DicomDataset target, DicomDataset source)
    {
        target.CopyFrom(source, [OutputTags.SpecificCharacterSet, OutputTags.StudyInstanceUid]);
        target.CopyOrEmpty(source, PatientAndStudyType2);
        target.CopyFrom(source, PatientAndStudyType3);
        CopyDeidentification(target, source);
    }

    /// <summary>
    /// Copies Patient Identity Removed with De-identification Method, which it requires when YES. A source
    /// with YES but an empty method, as some de-identified series have, would make the output invalid, so then neither
    /// is copied.
    /// </summary>
    private static void CopyDeidentification(DicomDataset target, DicomDataset source)
    {
        string? removed = source.GetString(OutputTags.PatientIdentityRemoved);
        string? method = source.GetString(OutputTags.DeidentificationMethod);
        if (removed is not null && (removed != "YES" || !string.IsNullOrEmpty(method)))
        {
            target.CopyFrom(source, [OutputTags.PatientIdentityRemoved, OutputTags.DeidentificationMethod]);
        }
    }

    /// <summary>Sets the SOP Common, General Series and equipment attributes every output has.</summary>
    public static void SetInstanceAndSeries(
        DicomDataset target, string sopClassUid, string sopInstanceUid, string seriesInstanceUid, string modality,
        int seriesNumber, string seriesDescription, DateTimeOffset createdAt, AlgorithmIdentification algorithm)
    {
        string date = DatasetBuilding.FormatDate(createdAt);
        string time = DatasetBuilding.FormatTime(createdAt);
        target.With(OutputTags.SopClassUid, DicomVR.UI, sopClassUid)
            .With(OutputTags.SopInstanceUid, DicomVR.UI, sopInstanceUid)
            .With(OutputTags.InstanceCreationDate, DicomVR.DA, date)
            .With(OutputTags.InstanceCreationTime, DicomVR.TM, time)
            .With(OutputTags.SeriesDate, DicomVR.DA, date)
            .With(OutputTags.SeriesTime, DicomVR.TM, time)
            .With(OutputTags.ContentDate, DicomVR.DA, date)
            .With(OutputTags.ContentTime, DicomVR.TM, time)
            .With(OutputTags.Modality, DicomVR.CS, modality)
            .With(OutputTags.SeriesInstanceUid, DicomVR.UI, seriesInstanceUid)
            .With(OutputTags.SeriesNumber, DicomVR.IS, seriesNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With(OutputTags.SeriesDescription, DicomVR.LO, seriesDescription)
            .With(OutputTags.InstanceNumber, DicomVR.IS, "1")
            .With(OutputTags.Manufacturer, DicomVR.LO, AlgorithmIdentification.Manufacturer)
            .With(OutputTags.ManufacturerModelName, DicomVR.LO, algorithm.Name)
            .With(OutputTags.DeviceSerialNumber, DicomVR.LO, algorithm.Version)
            .With(OutputTags.SoftwareVersions, DicomVR.LO, algorithm.Version);
    }
}
