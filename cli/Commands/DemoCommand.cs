using System.CommandLine;
using System.Globalization;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Synthetic;

namespace IchFunctions.Cli.Commands;

/// <summary>
/// <c>ich demo</c>: generate a synthetic head CT with hemorrhage, score it with the model through the same
/// path as real exams (DICOM files in, SEG, SR and report out), and compare the result with the ground truth.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic exam; the default is not used in training the bundled model.", DefaultValueFactory = _ => 424242 };
        var model = new Option<FileInfo?>("--model") { Description = $"ONNX model file. Default: ${ModelLocator.ModelVariable}, else the bundled demonstration model." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the synthetic exam (exam/) and the results (result/).", DefaultValueFactory = _ => new DirectoryInfo("ich-demo") };
        var command = new Command("demo", "Generate a synthetic head CT with hemorrhage, score it with the model, and print the result and the Dice overlap with the ground truth.")
        {
            seed, model, output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetValue(seed), ModelLocator.Resolve(parse.GetValue(model)), parse.GetValue(output)!.FullName, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, int seed, string modelPath, string output, CancellationToken cancellationToken)
    {
        OnnxModelRunner? runner = ModelLocator.TryLoad(console, modelPath);
        if (runner is null)
        {
            return ExitCodes.ModelError;
        }

        using (runner)
        {
            string examFolder = Path.Combine(output, "exam");
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            var random = new Random(seed);
            IReadOnlyList<LesionSpec> lesions = LesionSampler.Sample(random, 1 + random.Next(2));
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Generating a synthetic head CT (seed {seed}) with {string.Join(" and ", lesions.Select(l => l.Kind.ToString().ToLowerInvariant()))} hemorrhage"));
            SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions { Seed = seed, Lesions = lesions });
            SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(exam, seed, examFolder, cancellationToken: cancellationToken).ConfigureAwait(false);

            using FileSource source = FileSource.FromFolder(Path.GetDirectoryName(files.SliceFiles[0])!);
            ScoringResult result = await ProgressDisplay.RunAsync(console, source.Description, progress => new ExamScorer(runner).ScoreAsync(source, progress, cancellationToken)).ConfigureAwait(false);
            ExamOutputFiles outputs = await ExamOutputWriter.WriteAsync(result, source, Path.Combine(output, "result"), DateTimeOffset.UtcNow, cancellationToken: cancellationToken).ConfigureAwait(false);
            ResultSummary.Write(console, result, outputs);

            byte[] truth = exam.Labels.Select(label => label != 0 ? (byte)1 : (byte)0).ToArray();
            double? dice = Overlap.Dice(result.Aggregate!.Mask, truth);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ground truth: {exam.HemorrhageVolumeMl:0.00} mL in {exam.Lesions.Count} simulated lesion(s); predicted {result.Aggregate.TotalVolumeMl:0.00} mL; Dice {dice ?? 0:0.000}."));
            return ExitCodes.Success;
        }
    }
}
