using System.Globalization;
using IchFunctions.Dicom;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>Builds the CT Image Storage data set of one synthetic slice with realistic, made-up headers.</summary>
internal static class SyntheticCtHeader
{
    public static DicomDataset Create(SyntheticExam exam, int slice, int seed, string uidRoot, SyntheticSeriesOptions options, byte[] pixels)
    {
        SeriesGeometry geometry = exam.Geometry;
        SliceGeometry plane = geometry.Slices[slice];
        string date = options.AcquisitionTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        string time = options.AcquisitionTime.ToString("HHmmss", CultureInfo.InvariantCulture);
        string instance = (slice + 1).ToString(CultureInfo.InvariantCulture);

        var dataset = new DicomDataset()
            .With(OutputTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL")
            .With(OutputTags.SopClassUid, DicomVR.UI, SyntheticSeriesWriter.CtImageStorage)
            .With(OutputTags.SopInstanceUid, DicomVR.UI, SyntheticSeriesWriter.Uid(uidRoot, "instance-" + instance))
            .With(OutputTags.StudyDate, DicomVR.DA, date)
            .With(OutputTags.SeriesDate, DicomVR.DA, date)
            .With(OutputTags.ContentDate, DicomVR.DA, date)
            .With(OutputTags.StudyTime, DicomVR.TM, time)
            .With(OutputTags.SeriesTime, DicomVR.TM, time)
            .With(OutputTags.ContentTime, DicomVR.TM, time)
            .With(OutputTags.AccessionNumber, DicomVR.SH, "")
            .With(OutputTags.Modality, DicomVR.CS, "CT")
            .With(OutputTags.Manufacturer, DicomVR.LO, AlgorithmIdentification.Manufacturer)
            .With(OutputTags.ReferringPhysicianName, DicomVR.PN, "")
            .With(OutputTags.StudyDescription, DicomVR.LO, options.StudyDescription)
            .With(OutputTags.SeriesDescription, DicomVR.LO, options.SeriesDescription)
            .With(OutputTags.ManufacturerModelName, DicomVR.LO, SyntheticSeriesWriter.TruthAlgorithm.Name)
            .With(OutputTags.PatientName, DicomVR.PN, options.PatientName)
            .With(OutputTags.PatientId, DicomVR.LO, options.PatientId ?? string.Create(CultureInfo.InvariantCulture, $"SYNTH-{seed}"))
            .With(OutputTags.PatientBirthDate, DicomVR.DA, "")
            .With(OutputTags.PatientSex, DicomVR.CS, "O")
            .With(OutputTags.BodyPartExamined, DicomVR.CS, "HEAD")
            .WithDecimals(OutputTags.SliceThickness, plane.SliceThickness ?? geometry.SlabThicknesses[slice])
            .WithDecimals(OutputTags.KVP, 120)
            .With(OutputTags.SoftwareVersions, DicomVR.LO, SyntheticSeriesWriter.TruthAlgorithm.Version)
            .With(OutputTags.ProtocolName, DicomVR.LO, "SYNTHETIC HEAD")
            .With(OutputTags.ConvolutionKernel, DicomVR.SH, "STANDARD")
            .With(OutputTags.PatientPosition, DicomVR.CS, "HFS")
            .With(OutputTags.StudyInstanceUid, DicomVR.UI, SyntheticSeriesWriter.Uid(uidRoot, "study"))
            .With(OutputTags.SeriesInstanceUid, DicomVR.UI, SyntheticSeriesWriter.Uid(uidRoot, "series"))
            .With(OutputTags.StudyId, DicomVR.SH, "1")
            .With(OutputTags.SeriesNumber, DicomVR.IS, options.SeriesNumber.ToString(CultureInfo.InvariantCulture))
            .With(OutputTags.AcquisitionNumber, DicomVR.IS, "1")
            .With(OutputTags.InstanceNumber, DicomVR.IS, instance)
            .WithDecimals(OutputTags.ImagePositionPatient, plane.Position.X, plane.Position.Y, plane.Position.Z)
            .WithDecimals(OutputTags.ImageOrientationPatient,
                plane.RowDirection.X, plane.RowDirection.Y, plane.RowDirection.Z, plane.ColumnDirection.X, plane.ColumnDirection.Y, plane.ColumnDirection.Z)
            .With(OutputTags.FrameOfReferenceUid, DicomVR.UI, SyntheticSeriesWriter.Uid(uidRoot, "frame-of-reference"))
            .With(OutputTags.PositionReferenceIndicator, DicomVR.LO, "")
            .WithDecimals(OutputTags.SliceLocation, geometry.Distances[slice])
            .WithNumbers(OutputTags.SamplesPerPixel, DicomVR.US, 1)
            .With(OutputTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .WithNumbers(OutputTags.Rows, DicomVR.US, geometry.Rows)
            .WithNumbers(OutputTags.Columns, DicomVR.US, geometry.Columns)
            .WithDecimals(OutputTags.PixelSpacing, plane.RowSpacing, plane.ColumnSpacing)
            .WithNumbers(OutputTags.BitsAllocated, DicomVR.US, 16)
            .WithNumbers(OutputTags.BitsStored, DicomVR.US, 16)
            .WithNumbers(OutputTags.HighBit, DicomVR.US, 15)
            .WithNumbers(OutputTags.PixelRepresentation, DicomVR.US, 1)
            .WithDecimals(OutputTags.WindowCenter, 40)
            .WithDecimals(OutputTags.WindowWidth, 80)
            .WithDecimals(OutputTags.RescaleIntercept, 0)
            .WithDecimals(OutputTags.RescaleSlope, 1)
            .With(OutputTags.RescaleType, DicomVR.LO, "HU");
        dataset.Set(new DicomElement(OutputTags.PixelData, DicomVR.OW, pixels));
        return dataset;
    }
}
