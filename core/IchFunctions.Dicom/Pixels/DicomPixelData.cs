using System.Globalization;
using IchFunctions.Dicom.Pixels.Encapsulated;
using IchFunctions.Dicom.Pixels.Hounsfield;

namespace IchFunctions.Dicom.Pixels;

/// <summary>Connects a parsed <see cref="DicomFile"/> to pixel decoding: its Image Pixel attributes, Pixel Data and rescale.</summary>
public static class DicomPixelData
{
    private static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    private static readonly DicomTag PhotometricInterpretationTag = new(0x0028, 0x0004);
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    private static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    private static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    private static readonly DicomTag HighBit = new(0x0028, 0x0102);
    private static readonly DicomTag PlanarConfigurationTag = new(0x0028, 0x0006);
    private static readonly DicomTag PixelPaddingValue = new(0x0028, 0x0120);
    private static readonly DicomTag PixelPaddingRangeLimit = new(0x0028, 0x0121);
    private static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    private static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);

    /// <summary>Reads the Image Pixel module; throws <see cref="DicomPixelDataException"/> naming a missing attribute.</summary>
    public static PixelDescription Describe(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int rows = Require(dataset, DicomTags.Rows, "Rows");
        int columns = Require(dataset, DicomTags.Columns, "Columns");
        int bitsAllocated = Require(dataset, BitsAllocated, "Bits Allocated");
        int bitsStored = dataset.GetInt32(BitsStored) ?? bitsAllocated;
        string photometric = dataset.GetString(PhotometricInterpretationTag)
            ?? throw new DicomPixelDataException("Photometric Interpretation (0028,0004) is missing, so the pixel data cannot be interpreted.");
        return new PixelDescription(
            rows,
            columns,
            dataset.GetInt32(SamplesPerPixel) ?? 1,
            bitsAllocated,
            bitsStored,
            dataset.GetInt32(HighBit) ?? bitsStored - 1,
            (PixelRepresentation)(dataset.GetInt32(DicomTags.PixelRepresentation) ?? 0),
            PhotometricInterpretations.Parse(photometric),
            (PlanarConfiguration)(dataset.GetInt32(PlanarConfigurationTag) ?? 0),
            dataset.GetInt32(NumberOfFrames) ?? 1);
    }

    /// <summary>Returns a frame reader for the file's Pixel Data, native or encapsulated.</summary>
    public static PixelFrameReader CreateReader(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.StoppedBeforePixelData)
        {
            throw new InvalidOperationException("The file was read without its Pixel Data (header-only read); read it in full to decode pixels.");
        }

        DicomDataset dataset = file.Dataset;
        DicomElement? pixelData = dataset.Find(DicomTags.PixelData);
        ReadOnlyMemory<byte>? native = null;
        EncapsulatedPixelData? encapsulated = null;
        if (pixelData is DicomEncapsulatedPixelData items)
        {
            encapsulated = new EncapsulatedPixelData(
                items.BasicOffsetTable,
                items.Fragments,
                dataset.Find(DicomTags.ExtendedOffsetTable)?.Value ?? default,
                dataset.Find(DicomTags.ExtendedOffsetTableLengths)?.Value ?? default);
        }
        else if (pixelData is not null)
        {
            native = pixelData.Value;
        }

        return PixelFrameReader.Create(file.TransferSyntaxUid, Describe(dataset), native, encapsulated);
    }

    /// <summary>Reads Rescale Slope and Intercept (defaults 1 and 0) and Pixel Padding Value and Range Limit.</summary>
    public static HounsfieldRescale ReadRescale(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        bool signed = dataset.GetInt32(DicomTags.PixelRepresentation) == 1;
        return new HounsfieldRescale(
            dataset.GetDouble(RescaleSlope) ?? 1,
            dataset.GetDouble(RescaleIntercept) ?? 0,
            ReadPadding(dataset, PixelPaddingValue, signed),
            ReadPadding(dataset, PixelPaddingRangeLimit, signed));
    }

    /// <summary>
    /// Reads a padding attribute, whose VR is US or SS as Pixel Representation says. Implicit VR files leave the
    /// choice to the reader, so a value read as US is reinterpreted as SS for signed pixel data.
    /// </summary>
    private static int? ReadPadding(DicomDataset dataset, DicomTag tag, bool signed)
    {
        int? value = dataset.GetInt32(tag);
        return signed && value is > short.MaxValue and <= ushort.MaxValue ? value - 65536 : value;
    }

    private static int Require(DicomDataset dataset, DicomTag tag, string name) =>
        dataset.GetInt32(tag) ?? throw new DicomPixelDataException(
            string.Create(CultureInfo.InvariantCulture, $"{name} {tag} is missing, so the pixel data cannot be decoded."));
}
