namespace IchFunctions.Imaging.DicomWeb;

internal static class DicomWebPaths
{
    /// <summary>Relative paths resolve under the base only when it ends in a slash.</summary>
    public static Uri WithTrailingSlash(Uri root) => root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
}
