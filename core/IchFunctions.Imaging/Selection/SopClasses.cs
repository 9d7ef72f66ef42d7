namespace IchFunctions.Imaging.Selection;

/// <summary>SOP Class UIDs (PS3.4 Annex B) that series selection names in its decisions.</summary>
public static class SopClasses
{
    public const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    public const string EnhancedCtImage = "1.2.840.10008.5.1.4.1.1.2.1";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";
    public const string Segmentation = "1.2.840.10008.5.1.4.1.1.66.4";
    public const string LabelMapSegmentation = "1.2.840.10008.5.1.4.1.1.66.7";
    public const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string EnhancedSr = "1.2.840.10008.5.1.4.1.1.88.22";
    public const string BasicTextSr = "1.2.840.10008.5.1.4.1.1.88.11";
    public const string XRayRadiationDoseSr = "1.2.840.10008.5.1.4.1.1.88.67";
    public const string GrayscaleSoftcopyPresentationState = "1.2.840.10008.5.1.4.1.1.11.1";
    public const string RtPlan = "1.2.840.10008.5.1.4.1.1.481.5";
    public const string MrImage = "1.2.840.10008.5.1.4.1.1.4";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [CtImage] = "CT Image",
        [EnhancedCtImage] = "Enhanced CT Image",
        [SecondaryCapture] = "Secondary Capture Image",
        [Segmentation] = "Segmentation",
        [LabelMapSegmentation] = "Label Map Segmentation",
        [ComprehensiveSr] = "Comprehensive SR",
        [EnhancedSr] = "Enhanced SR",
        [BasicTextSr] = "Basic Text SR",
        [XRayRadiationDoseSr] = "X-Ray Radiation Dose SR",
        [GrayscaleSoftcopyPresentationState] = "Grayscale Softcopy Presentation State",
        [RtPlan] = "RT Plan",
        [MrImage] = "MR Image",
    };

    /// <summary>Returns the SOP class name, or the UID itself when this table does not list it.</summary>
    public static string Describe(string uid) => Names.TryGetValue(uid, out string? name) ? $"{name} ({uid})" : uid;

    public static bool IsCtImage(string uid) => uid is CtImage or EnhancedCtImage;
}
