namespace IchFunctions.Dicom.Pixels;

/// <summary>Pixel Representation (0028,0103): how stored sample values are interpreted.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The DICOM standard names the values unsigned and signed.")]
public enum PixelRepresentation
{
    /// <summary>0: unsigned integers.</summary>
    Unsigned = 0,

    /// <summary>1: two's complement signed integers.</summary>
    Signed = 1,
}

/// <summary>Planar Configuration (0028,0006) of colour pixel data.</summary>
public enum PlanarConfiguration
{
    /// <summary>0: samples interleaved pixel by pixel (R1 G1 B1 R2 G2 B2 ...).</summary>
    Interleaved = 0,

    /// <summary>1: one plane per sample (R1 R2 ... G1 G2 ... B1 B2 ...).</summary>
    Planar = 1,
}
