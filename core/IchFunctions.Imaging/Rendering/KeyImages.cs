using System.Globalization;
using IchFunctions.Imaging.Scoring;

namespace IchFunctions.Imaging.Rendering;

/// <summary>
/// Writes PNG key images of the slices with the most hemorrhage: brain window, red mask outline, and a caption
/// with the slice, exam probability and volume, plus the not-for-clinical-use line when the contract sets that flag.
/// </summary>
public static class KeyImages
{
    private static readonly (byte R, byte G, byte B) Outline = (255, 40, 40);
    private static readonly (byte R, byte G, byte B) Caption = (255, 255, 0);

    /// <summary>Writes up to <paramref name="count"/> images into <paramref name="directory"/> and returns their file names, most hemorrhage first.</summary>
    public static IReadOnlyList<string> Write(ScoringResult result, string directory, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Aggregate is null || result.Volume is null)
        {
            return [];
        }

        int rows = result.Volume.Rows;
        int columns = result.Volume.Columns;
        int plane = rows * columns;
        IReadOnlyList<int> chosen = ChooseSlices(result.Aggregate.Mask, result.Volume.SliceCount, plane, count);

        Directory.CreateDirectory(directory);
        var names = new List<string>(chosen.Count);
        foreach (int slice in chosen)
        {
            byte[] rgb = SliceRenderer.Render(result.Volume.Slice(slice).Span, result.Aggregate.Mask.AsSpan(slice * plane, plane), rows, columns, SliceRenderer.BrainWindow, Outline);
            DrawCaption(rgb, columns, rows, slice, result);
            string name = string.Create(CultureInfo.InvariantCulture, $"key-image-slice{slice + 1:000}.png");
            using (FileStream file = File.Create(Path.Combine(directory, name)))
            {
                PngWriter.WriteRgb(file, rgb, columns, rows);
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>
    /// Returns the slices an image is written for: up to <paramref name="count"/> slices with mask pixels, most
    /// pixels first, ties in slice order. Only these slices' voxels are read by <see cref="Write"/>.
    /// </summary>
    public static IReadOnlyList<int> ChooseSlices(byte[] mask, int sliceCount, int plane, int count)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Enumerable.Range(0, sliceCount)
            .Select(slice => (slice, pixels: CountMask(mask.AsSpan(slice * plane, plane))))
            .Where(entry => entry.pixels > 0)
            .OrderByDescending(entry => entry.pixels)
            .ThenBy(entry => entry.slice)
            .Take(count)
            .Select(entry => entry.slice)
            .ToArray();
    }

    private static void DrawCaption(byte[] rgb, int width, int height, int slice, ScoringResult result)
    {
        int scale = Math.Max(1, width / 256);
        int line = (BitmapFont.GlyphHeight + 3) * scale;
        string[] lines =
        [
            string.Create(CultureInfo.InvariantCulture, $"SLICE {slice + 1}/{result.Volume!.SliceCount}  P(EXAM) {result.Aggregate!.ExamProbability:0.000}"),
            string.Create(CultureInfo.InvariantCulture, $"VOLUME {result.Aggregate.TotalVolumeMl:0.0} ML  {result.Contract.ModelName} {result.Contract.ModelVersion}"),
        ];
        int y = 2 * scale;
        foreach (string text in lines)
        {
            BitmapFont.Draw(rgb, width, height, 2 * scale, y, text, scale, Caption);
            y += line;
        }

        if (result.Contract.NotForClinicalUse)
        {
            BitmapFont.Draw(rgb, width, height, 2 * scale, height - line, "NOT FOR CLINICAL USE", scale, Caption);
        }
    }

    private static int CountMask(ReadOnlySpan<byte> mask) => mask.Length - mask.Count((byte)0);
}
