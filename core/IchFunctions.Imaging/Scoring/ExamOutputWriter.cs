using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Rendering;

namespace IchFunctions.Imaging.Scoring;

/// <summary>The files a scoring run wrote, relative to its output folder.</summary>
public sealed record ExamOutputFiles(string ReportPath, IReadOnlyList<string> KeyImages);

/// <summary>Writes the outputs of a scoring run into a folder: key images, then report.json naming them.</summary>
public static class ExamOutputWriter
{
    public const string ReportFileName = "report.json";

    public static ExamOutputFiles Write(ScoringResult result, string directory, DateTimeOffset generatedUtc)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);

        IReadOnlyList<string> keyImages = KeyImages.Write(result, directory);
        var outputs = new Dictionary<string, string>();
        for (int i = 0; i < keyImages.Count; i++)
        {
            outputs[$"key_image_{i + 1}"] = keyImages[i];
        }

        string json = ExamReportBuilder.ToJson(ExamReportBuilder.Build(result, generatedUtc, outputs));
        string path = Path.Combine(directory, ReportFileName);

        // Written under a temporary name first, so a reader never sees a partial report.
        string temporary = path + ".partial";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
        return new ExamOutputFiles(path, keyImages);
    }
}
