using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Evaluation;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Nifti;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;
using Spectre.Console;

namespace IchFunctions.Cli.Commands;

/// <summary>Where <c>ich eval</c> takes the reference standard from.</summary>
public enum LabelSource
{
    /// <summary>truth_seg.dcm in each exam folder: a DICOM SEG over the exam's series.</summary>
    Seg,

    /// <summary>truth_mask.nii.gz in each exam folder: a NIfTI-1 mask aligned to the series.</summary>
    Nifti,

    /// <summary>A CSV file with columns exam,positive (exam-level labels only, so no Dice).</summary>
    Csv,
}

/// <summary><c>ich eval</c>: score every exam under a folder and measure the model against reference labels.</summary>
internal static class EvalCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static Command Create(CliConsole console)
    {
        var root = new Argument<DirectoryInfo>("root") { Description = "Folder with one subfolder per exam; each holds its DICOM series (in ct/ or directly) and its labels." };
        var labels = new Option<LabelSource>("--labels") { Description = "Reference standard: Seg (truth_seg.dcm per exam), Nifti (truth_mask.nii.gz per exam) or Csv (--labels-csv).", DefaultValueFactory = _ => LabelSource.Seg };
        var csv = new Option<FileInfo?>("--labels-csv") { Description = "CSV with a header and columns exam,positive (1 or 0), for --labels Csv." };
        var model = new Option<FileInfo?>("--model") { Description = $"ONNX model file. Default: ${ModelLocator.ModelVariable}, else the bundled demonstration model." };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples of exams for the 95% intervals.", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print the metrics and per-exam results as JSON." };
        var command = new Command("eval", "Score every exam under a folder and report exam AUC, sensitivity and specificity at each operating point, and mean Dice, with bootstrap intervals.")
        {
            root, labels, csv, model, resamples, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console, parse.GetValue(root)!, parse.GetValue(labels), parse.GetValue(csv), ModelLocator.Resolve(parse.GetValue(model)), parse.GetValue(resamples), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, DirectoryInfo root, LabelSource labels, FileInfo? csv, string modelPath, int resamples, bool json, CancellationToken cancellationToken)
    {
        if (!root.Exists)
        {
            console.WriteError($"Folder not found: {root.FullName}.");
            return ExitCodes.InputError;
        }

        if (resamples < 0 || (labels == LabelSource.Csv && csv is not { Exists: true }))
        {
            console.WriteError("--resamples must be at least 0, and --labels Csv needs an existing --labels-csv file.");
            return ExitCodes.UsageError;
        }

        Dictionary<string, bool>? csvLabels = labels == LabelSource.Csv ? ReadCsv(csv!.FullName) : null;
        OnnxModelRunner? runner = ModelLocator.TryLoad(console, modelPath);
        if (runner is null)
        {
            return ExitCodes.ModelError;
        }

        using (runner)
        {
            var scorer = new ExamScorer(runner);
            var outcomes = new List<ExamOutcome>();
            foreach (DirectoryInfo exam in root.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                ExamOutcome? outcome = await EvaluateAsync(console, scorer, exam, labels, csvLabels, cancellationToken).ConfigureAwait(false);
                if (outcome is not null)
                {
                    outcomes.Add(outcome);
                }
            }

            if (outcomes.Count == 0)
            {
                console.WriteError($"No exam under {root.FullName} could be evaluated.");
                return ExitCodes.InputError;
            }

            EvaluationSummary summary = EvaluationMetrics.Summarise(outcomes, runner.Contract.OperatingPoints.Select(p => (p.Name, p.Threshold)).ToArray(), resamples);
            if (json)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new { model = $"{runner.Contract.ModelName} {runner.Contract.ModelVersion}", summary, exams = outcomes }, Json));
            }
            else
            {
                WriteSummary(console, runner.Contract, summary);
            }

            return ExitCodes.Success;
        }
    }

    private static async Task<ExamOutcome?> EvaluateAsync(CliConsole console, ExamScorer scorer, DirectoryInfo exam, LabelSource labels, Dictionary<string, bool>? csvLabels, CancellationToken cancellationToken)
    {
        string seriesFolder = Directory.Exists(Path.Combine(exam.FullName, "ct")) ? Path.Combine(exam.FullName, "ct") : exam.FullName;
        using FileSource source = FileSource.FromFolder(seriesFolder);
        ScoringResult result;
        try
        {
            result = await scorer.ScoreAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IchFunctions.Dicom.DicomDataException error)
        {
            console.WriteError($"{exam.Name}: skipped, its series could not be read: {error.Message}");
            return null;
        }

        if (result.Aggregate is null)
        {
            console.WriteError($"{exam.Name}: skipped, no eligible series ({string.Join("; ", result.Selection.Series.Select(s => s.Reason))}).");
            return null;
        }

        try
        {
            (bool positive, byte[]? truth) = ReadLabels(exam, labels, csvLabels, result);
            double? dice = truth is null ? null : Overlap.Dice(result.Aggregate.Mask, truth);
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {exam.Name}: score {result.Aggregate.ExamProbability:0.000}, reference {(positive ? "positive" : "negative")}{(dice is double d ? $", Dice {d:0.000}" : "")}"));
            return new ExamOutcome(exam.Name, result.Aggregate.ExamProbability, positive, dice);
        }
        catch (Exception error) when (error is IOException or ArgumentException or KeyNotFoundException)
        {
            console.WriteError($"{exam.Name}: skipped, its labels could not be read: {error.Message}");
            return null;
        }
    }

    private static (bool Positive, byte[]? Truth) ReadLabels(DirectoryInfo exam, LabelSource labels, Dictionary<string, bool>? csvLabels, ScoringResult result)
    {
        switch (labels)
        {
            case LabelSource.Csv:
                return csvLabels!.TryGetValue(exam.Name, out bool positive)
                    ? (positive, null)
                    : throw new KeyNotFoundException($"exam '{exam.Name}' is not in the labels CSV");
            case LabelSource.Nifti:
                NiftiMask mask = NiftiReader.ReadMask(Path.Combine(exam.FullName, "truth_mask.nii.gz"));
                var volume = result.Volume!;
                if (mask.Columns != volume.Columns || mask.Rows != volume.Rows || mask.Slices != volume.SliceCount)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"the NIfTI mask is {mask.Columns}x{mask.Rows}x{mask.Slices} but the series is {volume.Columns}x{volume.Rows}x{volume.SliceCount}"));
                }

                return (mask.Voxels.Any(v => v != 0), mask.Voxels);
            default:
                Segmentation seg = SegmentationReader.Read(DicomReader.ReadFile(Path.Combine(exam.FullName, "truth_seg.dcm")));
                SegmentMasks masks = seg.ToMasks(result.Volume!.Geometry.Slices);
                var union = new byte[result.Aggregate!.Mask.Length];
                foreach (byte[] segment in masks.Masks.Values)
                {
                    for (int i = 0; i < union.Length; i++)
                    {
                        union[i] |= segment[i] != 0 ? (byte)1 : (byte)0;
                    }
                }

                return (union.Any(v => v != 0), union);
        }
    }

    private static Dictionary<string, bool> ReadCsv(string path)
    {
        var labels = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path).Skip(1).Where(l => l.Trim().Length > 0))
        {
            string[] fields = line.Split(',');
            labels[fields[0].Trim()] = fields.Length > 1 && fields[1].Trim() is "1" or "true" or "True";
        }

        return labels;
    }

    private static void WriteSummary(CliConsole console, ModelContract contract, EvaluationSummary summary)
    {
        var table = new Table().Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{contract.ModelName} {contract.ModelVersion}: {summary.Exams} exams, {summary.PositiveExams} positive, 95% intervals from {summary.Resamples} bootstrap resamples"))).AddColumn("Metric").AddColumn("Value [[95% interval]]");
        table.AddRow("Exam AUC", Format(summary.Auc));
        table.AddRow("Mean Dice (positive exams)", Format(summary.MeanDice));
        foreach (OperatingPointMetrics point in summary.OperatingPoints)
        {
            table.AddRow(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Sensitivity at '{point.Name}' ({point.Threshold})")), Format(point.Sensitivity));
            table.AddRow(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Specificity at '{point.Name}' ({point.Threshold})")), Format(point.Specificity));
        }

        console.Ansi.Write(table);
        if (contract.NotForClinicalUse)
        {
            console.Ansi.MarkupLine($"[bold yellow]{Markup.Escape(ExamReportBuilder.NotForClinicalUseStatement)}[/]");
        }
    }

    private static string Format(Estimate estimate) => Markup.Escape(FormatText(estimate));

    private static string FormatText(Estimate estimate) => double.IsNaN(estimate.Value)
        ? "undefined"
        : string.Create(CultureInfo.InvariantCulture, $"{estimate.Value:0.000} [{estimate.Lower:0.000}, {estimate.Upper:0.000}]");
}
