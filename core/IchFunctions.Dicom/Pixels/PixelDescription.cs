namespace IchFunctions.Dicom.Pixels;

/// <summary>
/// The Image Pixel module attributes that define how pixel data is laid out, checked for consistency
/// when constructed so that decoders can trust every size they derive from it.
/// </summary>
/// <remarks>
/// Decoded frames use one layout whatever the transfer syntax: samples of <see cref="BitsAllocated"/> bits,
/// little endian, interleaved pixel by pixel, with bits above <see cref="HighBit"/> cleared (unsigned) or
/// filled with the sign bit (signed).
/// </remarks>
public sealed record PixelDescription
{
    /// <summary>Largest frame this toolkit decodes, in bytes; a guard against absurd Rows and Columns.</summary>
    public const long MaxFrameLength = int.MaxValue / 2;

    public PixelDescription(
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        PixelRepresentation pixelRepresentation,
        PhotometricInterpretation photometricInterpretation,
        PlanarConfiguration planarConfiguration = PlanarConfiguration.Interleaved,
        int numberOfFrames = 1)
    {
        Rows = rows;
        Columns = columns;
        SamplesPerPixel = samplesPerPixel;
        BitsAllocated = bitsAllocated;
        BitsStored = bitsStored;
        HighBit = highBit;
        PixelRepresentation = pixelRepresentation;
        PhotometricInterpretation = photometricInterpretation;
        PlanarConfiguration = planarConfiguration;
        NumberOfFrames = numberOfFrames;
        Validate();
    }

    /// <summary>Rows (0028,0010).</summary>
    public int Rows { get; }

    /// <summary>Columns (0028,0011).</summary>
    public int Columns { get; }

    /// <summary>Samples per Pixel (0028,0002): 1 or 3.</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Bits Allocated (0028,0100): 8, 16 or 32.</summary>
    public int BitsAllocated { get; }

    /// <summary>Bits Stored (0028,0101).</summary>
    public int BitsStored { get; }

    /// <summary>High Bit (0028,0102); always Bits Stored - 1 here.</summary>
    public int HighBit { get; }

    /// <summary>Pixel Representation (0028,0103).</summary>
    public PixelRepresentation PixelRepresentation { get; }

    /// <summary>Photometric Interpretation (0028,0004).</summary>
    public PhotometricInterpretation PhotometricInterpretation { get; }

    /// <summary>Planar Configuration (0028,0006) of native colour pixel data; ignored for one sample per pixel.</summary>
    public PlanarConfiguration PlanarConfiguration { get; }

    /// <summary>Number of Frames (0028,0008); 1 when the attribute is absent.</summary>
    public int NumberOfFrames { get; }

    /// <summary>Bytes per sample: Bits Allocated / 8.</summary>
    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Whether samples are two's complement signed integers.</summary>
    public bool IsSigned => PixelRepresentation == PixelRepresentation.Signed;

    /// <summary>Samples in one frame: Rows x Columns x Samples per Pixel.</summary>
    public int FrameSampleCount => Rows * Columns * SamplesPerPixel;

    /// <summary>Bytes of one frame, native or decoded.</summary>
    public int FrameLength => FrameSampleCount * BytesPerSample;

    /// <summary>Bytes of all frames of native pixel data, without the even-length padding byte.</summary>
    public long TotalLength => (long)FrameLength * NumberOfFrames;

    private void Validate()
    {
        if (Rows is < 1 or > ushort.MaxValue)
        {
            throw Invalid($"Rows (0028,0010) is {Rows}; expected 1 to {ushort.MaxValue}.");
        }

        if (Columns is < 1 or > ushort.MaxValue)
        {
            throw Invalid($"Columns (0028,0011) is {Columns}; expected 1 to {ushort.MaxValue}.");
        }

        if (SamplesPerPixel is not (1 or 3))
        {
            throw Invalid($"Samples per Pixel (0028,0002) is {SamplesPerPixel}; expected 1 or 3.");
        }

        int requiredSamples = PhotometricInterpretation.RequiredSamplesPerPixel();
        if (SamplesPerPixel != requiredSamples)
        {
            throw Invalid($"Samples per Pixel (0028,0002) is {SamplesPerPixel} but Photometric Interpretation "
                + $"(0028,0004) {PhotometricInterpretation.ToDicomString()} requires {requiredSamples}.");
        }

        if (BitsAllocated is not (8 or 16 or 32))
        {
            throw Invalid($"Bits Allocated (0028,0100) is {BitsAllocated}; this decoder supports 8, 16 and 32 "
                + "(1-bit pixel data, as in binary segmentations, needs its own reader).");
        }

        if (BitsStored < 1 || BitsStored > BitsAllocated)
        {
            throw Invalid($"Bits Stored (0028,0101) is {BitsStored} but Bits Allocated (0028,0100) is {BitsAllocated}; "
                + "Bits Stored must be 1 to Bits Allocated.");
        }

        if (HighBit != BitsStored - 1)
        {
            throw Invalid($"High Bit (0028,0102) is {HighBit} but Bits Stored (0028,0101) is {BitsStored}; "
                + $"only High Bit = Bits Stored - 1 = {BitsStored - 1} is supported.");
        }

        if (!Enum.IsDefined(PixelRepresentation))
        {
            throw Invalid($"Pixel Representation (0028,0103) is {(int)PixelRepresentation}; expected 0 (unsigned) or 1 (signed).");
        }

        if (!Enum.IsDefined(PlanarConfiguration))
        {
            throw Invalid($"Planar Configuration (0028,0006) is {(int)PlanarConfiguration}; expected 0 or 1.");
        }

        if (NumberOfFrames < 1)
        {
            throw Invalid($"Number of Frames (0028,0008) is {NumberOfFrames}; expected 1 or more.");
        }

        long frameLength = (long)Rows * Columns * SamplesPerPixel * BytesPerSample;
        if (frameLength > MaxFrameLength)
        {
            throw Invalid($"One frame of {Rows} x {Columns} x {SamplesPerPixel} samples of {BitsAllocated} bits is "
                + $"{frameLength} bytes, more than the {MaxFrameLength} bytes this decoder accepts.");
        }
    }

    private static DicomPixelDataException Invalid(string message) => new(message);
}
