namespace IchFunctions.Imaging.Sources;

/// <summary>
/// Where the instances of an exam come from: a folder, a zip, explicit files, a blob prefix or a DICOMweb
/// study. A location names one instance within the source and can be opened again later.
/// </summary>
public interface IInstanceSource : IDisposable
{
    /// <summary>A short description for messages, without patient data (for example "folder /data/exam (28 files)").</summary>
    string Description { get; }

    /// <summary>Every candidate instance, in a stable order.</summary>
    IReadOnlyList<string> Locations { get; }

    /// <summary>Opens one instance for reading; the caller disposes the stream.</summary>
    Stream Open(string location);
}
