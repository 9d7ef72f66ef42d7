namespace IchFunctions.Dicom.Pixels;

/// <summary>Photometric Interpretation (0028,0004) values this toolkit decodes.</summary>
public enum PhotometricInterpretation
{
    /// <summary>MONOCHROME1: one sample, the minimum value is displayed white.</summary>
    Monochrome1,

    /// <summary>MONOCHROME2: one sample, the minimum value is displayed black.</summary>
    Monochrome2,

    /// <summary>PALETTE COLOR: one sample, an index into the palette colour lookup tables.</summary>
    PaletteColor,

    /// <summary>RGB: three samples.</summary>
    Rgb,

    /// <summary>YBR_FULL: three samples, luminance and two full-resolution chrominance.</summary>
    YbrFull,

    /// <summary>YBR_FULL_422: three samples as stored by JPEG codestreams with 4:2:2 chrominance.</summary>
    YbrFull422,

    /// <summary>YBR_ICT: irreversible colour transform of JPEG 2000.</summary>
    YbrIct,

    /// <summary>YBR_RCT: reversible colour transform of JPEG 2000.</summary>
    YbrRct,
}

/// <summary>Conversions between <see cref="PhotometricInterpretation"/> and its DICOM code string.</summary>
public static class PhotometricInterpretations
{
    /// <summary>Parses a Photometric Interpretation code string, ignoring the trailing space padding.</summary>
    /// <exception cref="DicomPixelDataException">The value is not one this toolkit decodes.</exception>
    public static PhotometricInterpretation Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim() switch
        {
            "MONOCHROME1" => PhotometricInterpretation.Monochrome1,
            "MONOCHROME2" => PhotometricInterpretation.Monochrome2,
            "PALETTE COLOR" => PhotometricInterpretation.PaletteColor,
            "RGB" => PhotometricInterpretation.Rgb,
            "YBR_FULL" => PhotometricInterpretation.YbrFull,
            "YBR_FULL_422" => PhotometricInterpretation.YbrFull422,
            "YBR_ICT" => PhotometricInterpretation.YbrIct,
            "YBR_RCT" => PhotometricInterpretation.YbrRct,
            _ => throw new DicomPixelDataException(
                $"Photometric Interpretation (0028,0004) '{value.Trim()}' is not supported; expected MONOCHROME1, "
                + "MONOCHROME2, PALETTE COLOR, RGB or YBR_FULL, YBR_FULL_422, YBR_ICT, YBR_RCT."),
        };
    }

    /// <summary>Returns the DICOM code string of a Photometric Interpretation.</summary>
    public static string ToDicomString(this PhotometricInterpretation value) => value switch
    {
        PhotometricInterpretation.Monochrome1 => "MONOCHROME1",
        PhotometricInterpretation.Monochrome2 => "MONOCHROME2",
        PhotometricInterpretation.PaletteColor => "PALETTE COLOR",
        PhotometricInterpretation.Rgb => "RGB",
        PhotometricInterpretation.YbrFull => "YBR_FULL",
        PhotometricInterpretation.YbrFull422 => "YBR_FULL_422",
        PhotometricInterpretation.YbrIct => "YBR_ICT",
        PhotometricInterpretation.YbrRct => "YBR_RCT",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown Photometric Interpretation."),
    };

    /// <summary>Returns the Samples per Pixel (0028,0002) a Photometric Interpretation requires.</summary>
    public static int RequiredSamplesPerPixel(this PhotometricInterpretation value) => value switch
    {
        PhotometricInterpretation.Monochrome1 or PhotometricInterpretation.Monochrome2 or PhotometricInterpretation.PaletteColor => 1,
        _ => 3,
    };
}
