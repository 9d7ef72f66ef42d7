namespace IchFunctions.Dicom;

/// <summary>Transfer syntax UIDs (DICOM PS3.6 Annex A) that the toolkit reads or names in errors.</summary>
public static class TransferSyntaxUids
{
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
    public const string JpegBaseline8Bit = "1.2.840.10008.1.2.4.50";
    public const string JpegExtended12Bit = "1.2.840.10008.1.2.4.51";
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";
    public const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";
    public const string JpegLSLossless = "1.2.840.10008.1.2.4.80";
    public const string JpegLSNearLossless = "1.2.840.10008.1.2.4.81";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";
    public const string RleLossless = "1.2.840.10008.1.2.5";
}
