using System.CommandLine;
using System.Globalization;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;
using IchFunctions.Imaging.Synthetic;

namespace IchFunctions.Cli.Commands;

/// <summary><c>ich phantom</c>: write synthetic head CT exams with simulated hemorrhage and exact ground truth.</summary>
internal static class PhantomCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the exams into, one subfolder per exam.", Required = true };
        var count = new Option<int>("--count") { Description = "Number of exams.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first exam; exam i uses seed + i, so runs are reproducible.", DefaultValueFactory = _ => 1 };
        var negative = new Option<double>("--negative-fraction") { Description = "Share of exams without hemorrhage, from 0 to 1.", DefaultValueFactory = _ => 0.5 };
        var maxLesions = new Option<int>("--max-lesions") { Description = "Most lesions in a positive exam (at least one).", DefaultValueFactory = _ => 3 };
        var background = new Option<DirectoryInfo?>("--background") { Description = "A real head CT folder to insert hemorrhage into, instead of the synthetic head." };
        var command = new Command("phantom", "Write synthetic head CT exams with simulated hemorrhage: a DICOM CT series, the ground truth as NIfTI-1 mask (evenly spaced series) and DICOM SEG, and a JSON sidecar with lesion kinds and volumes in mL.")
        {
            output, count, seed, negative, maxLesions, background,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console, new PhantomSettings(parse.GetValue(output)!.FullName, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(negative), parse.GetValue(maxLesions), parse.GetValue(background)?.FullName),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, PhantomSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Count < 1 || settings.NegativeFraction is < 0 or > 1 || settings.MaxLesions < 1)
        {
            console.WriteError(Invariant($"--count must be at least 1, --negative-fraction between 0 and 1, --max-lesions at least 1 (got {settings.Count}, {settings.NegativeFraction}, {settings.MaxLesions})."));
            return ExitCodes.UsageError;
        }

        HuVolume? background = null;
        if (settings.Background is not null)
        {
            background = LoadBackground(console, settings.Background);
            if (background is null)
            {
                return ExitCodes.InputError;
            }
        }

        Directory.CreateDirectory(settings.Output);
        for (int i = 0; i < settings.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int examSeed = settings.Seed + i;
            var random = new Random(examSeed);
            bool negative = random.NextDouble() < settings.NegativeFraction;
            IReadOnlyList<LesionSpec> lesions = negative ? [] : LesionSampler.Sample(random, 1 + random.Next(settings.MaxLesions));
            SyntheticExam exam = background is null
                ? SyntheticExamGenerator.Generate(new SyntheticExamOptions { Seed = examSeed, Lesions = lesions })
                : SyntheticExamGenerator.InsertIntoBackground(background.Geometry, background.Voxels, lesions, examSeed);

            string folder = Path.Combine(settings.Output, Invariant($"exam-{examSeed:00000}"));
            await SyntheticSeriesWriter.WriteAsync(exam, examSeed, folder, cancellationToken: cancellationToken).ConfigureAwait(false);
            console.Error.WriteLine(Invariant($"  {folder}: {exam.Lesions.Count} lesion(s), {exam.HemorrhageVolumeMl:0.0} mL"));
        }

        console.Out.WriteLine(Invariant($"Wrote {settings.Count} synthetic exam(s) to {settings.Output}. They are synthetic phantoms, NOT FOR CLINICAL USE."));
        return ExitCodes.Success;
    }

    private static HuVolume? LoadBackground(CliConsole console, string folder)
    {
        try
        {
            using FileSource source = FileSource.FromFolder(folder);
            SelectionResult selection = SeriesSelector.Select(InstanceScanner.Scan(source).Instances);
            if (selection.SelectedGeometry is not SeriesGeometry geometry)
            {
                console.WriteError($"No axial head CT series in {folder} to use as background: {string.Join("; ", selection.Series.Select(s => s.Reason))}");
                return null;
            }

            return HuVolumeLoader.Load(source, geometry, selection.SelectedInstances!);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            console.WriteError($"The background series could not be read: {error.Message}");
            return null;
        }
    }

    private sealed record PhantomSettings(string Output, int Count, int Seed, double NegativeFraction, int MaxLesions, string? Background);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
