using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Support;

/// <summary>Validates a file against its IOD with dicom3tools' dciodvfy.</summary>
internal static class Dciodvfy
{
    /// <summary>Returns dciodvfy's error lines for a file (empty when it reports none).</summary>
    public static string[] Errors(string path) => Lines(path).Where(line => line.StartsWith("Error", StringComparison.Ordinal)).ToArray();

    public static string[] Lines(string path)
    {
        ExternalTool.Result result = ExternalTool.Run("dciodvfy", path);
        return (result.Output + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
