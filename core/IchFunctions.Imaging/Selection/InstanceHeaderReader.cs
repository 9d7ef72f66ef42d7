using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Selection;

/// <summary>Extracts an <see cref="InstanceHeader"/> from a parsed data set, leaving every patient attribute behind.</summary>
public static class InstanceHeaderReader
{
    private static readonly DicomTag ImageType = new(0x0008, 0x0008);
    private static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    private static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);
    private static readonly DicomTag ContrastBolusAgent = new(0x0018, 0x0010);
    private static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    private static readonly DicomTag ProtocolName = new(0x0018, 0x1030);
    private static readonly DicomTag ConvolutionKernel = new(0x0018, 0x1210);
    private static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);
    private static readonly DicomTag ImagePositionPatient = new(0x0020, 0x0032);
    private static readonly DicomTag ImageOrientationPatient = new(0x0020, 0x0037);
    private static readonly DicomTag FrameOfReferenceUid = new(0x0020, 0x0052);
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    private static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);

    /// <summary>
    /// Reads the header attributes selection needs. Throws <see cref="DicomDataException"/> when SOP Class,
    /// SOP Instance or Series Instance UID is missing, since such a file cannot be placed in any series.
    /// </summary>
    public static InstanceHeader Read(DicomFile file, string location)
    {
        ArgumentNullException.ThrowIfNull(file);
        DicomDataset dataset = file.Dataset;
        return new InstanceHeader
        {
            Location = location,
            SopClassUid = RequireUid(dataset, DicomTags.SopClassUid, "SOP Class UID"),
            SopInstanceUid = RequireUid(dataset, DicomTags.SopInstanceUid, "SOP Instance UID"),
            SeriesInstanceUid = RequireUid(dataset, DicomTags.SeriesInstanceUid, "Series Instance UID"),
            StudyInstanceUid = dataset.GetString(DicomTags.StudyInstanceUid),
            FrameOfReferenceUid = dataset.GetString(FrameOfReferenceUid),
            Modality = dataset.GetString(DicomTags.Modality),
            ImageType = dataset.GetStrings(ImageType),
            BodyPartExamined = dataset.GetString(BodyPartExamined),
            StudyDescription = dataset.GetString(StudyDescription),
            SeriesDescription = dataset.GetString(SeriesDescription),
            ProtocolName = dataset.GetString(ProtocolName),
            ConvolutionKernel = dataset.GetStrings(ConvolutionKernel),
            ContrastBolusAgent = dataset.GetString(ContrastBolusAgent),
            SeriesNumber = TryInt(dataset, SeriesNumber),
            InstanceNumber = TryInt(dataset, DicomTags.InstanceNumber),
            SliceThickness = dataset.GetDoubles(SliceThickness).FirstOrDefault() is var thickness and > 0 ? thickness : null,
            ImagePositionPatient = dataset.GetDoubles(ImagePositionPatient),
            ImageOrientationPatient = dataset.GetDoubles(ImageOrientationPatient),
            PixelSpacing = dataset.GetDoubles(PixelSpacing),
            Rows = dataset.GetInt32(DicomTags.Rows),
            Columns = dataset.GetInt32(DicomTags.Columns),
            NumberOfFrames = TryInt(dataset, NumberOfFrames),
            TransferSyntaxUid = file.TransferSyntaxUid,
        };
    }

    private static string RequireUid(DicomDataset dataset, DicomTag tag, string name)
    {
        string? value = dataset.GetString(tag);
        return string.IsNullOrWhiteSpace(value)
            ? throw new DicomDataException($"{name} {tag} is missing; the file cannot be assigned to a series.")
            : value;
    }

    /// <summary>Integer strings (IS) that do not parse are treated as absent: they only order or label, never place, slices.</summary>
    private static int? TryInt(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.GetInt32(tag);
        }
        catch (DicomDataException)
        {
            return null;
        }
    }
}
