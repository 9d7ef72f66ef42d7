using System.Globalization;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Selection;
using Spectre.Console;

namespace IchFunctions.Cli;

/// <summary>Prints the readable summary of a scoring run: result, lesions, series selection, warnings, files.</summary>
internal static class ResultSummary
{
    public static void Write(CliConsole console, ScoringResult result, ExamOutputFiles files)
    {
        IAnsiConsole ansi = console.Ansi;
        if (result.Contract.NotForClinicalUse)
        {
            ansi.MarkupLine($"[bold yellow]{Markup.Escape(ExamReportBuilder.NotForClinicalUseStatement)}[/]");
        }

        var summary = new Table().AddColumn("Item").AddColumn("Value");
        summary.AddRow("Model", Markup.Escape($"{result.Contract.ModelName} {result.Contract.ModelVersion} ({result.Runner})"));
        if (result.Aggregate is { } aggregate && result.Decision is { } decision)
        {
            summary.AddRow("Series", Markup.Escape($"{result.Selection.Selected!.SeriesInstanceUid} ({result.Volume!.SliceCount} slices)"));
            summary.AddRow("Exam probability", Invariant($"{aggregate.ExamProbability:0.000}"));
            string verdict = decision.Positive ? "[bold red]POSITIVE[/]" : "[green]negative[/]";
            summary.AddRow("Decision", Invariant($"{verdict} at operating point '{Markup.Escape(decision.Name)}' (threshold {decision.Threshold:0.###})"));
            summary.AddRow("Hemorrhage volume", Invariant($"{aggregate.TotalVolumeMl:0.00} mL in {aggregate.Lesions.Count} lesion(s)"));
        }
        else
        {
            summary.AddRow("Result", "[yellow]No eligible series: nothing was scored (see the selection below).[/]");
        }

        summary.AddRow("Time", Invariant($"{result.Timings.TotalMs / 1000.0:0.0} s (inference {result.Timings.InferenceMs / 1000.0:0.0} s)"));
        ansi.Write(summary);

        if (result.Aggregate is { Lesions.Count: > 0 })
        {
            ansi.Write(LesionTable(result.Aggregate.Lesions));
        }

        ansi.Write(SelectionTable(result.Selection.Series));
        foreach (string warning in result.Selection.Selected?.Warnings ?? [])
        {
            ansi.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        if (result.SkippedFiles.Count > 0)
        {
            ansi.MarkupLine(Invariant($"[yellow]{result.SkippedFiles.Count} file(s) skipped[/] as unreadable DICOM; reasons are in report.json."));
        }

        ansi.MarkupLine($"Report: {Markup.Escape(files.ReportPath)}");
        if (files.SegmentationPath is not null)
        {
            ansi.MarkupLine($"DICOM SEG: {Markup.Escape(files.SegmentationPath)}");
            ansi.MarkupLine($"DICOM SR: {Markup.Escape(files.ReportSrPath!)}");
        }

        foreach (string image in files.KeyImages)
        {
            ansi.MarkupLine($"Key image: {Markup.Escape(image)}");
        }
    }

    /// <summary>Rows shown in the lesion table; report.json lists every lesion.</summary>
    private const int LesionRows = 10;

    private static Table LesionTable(IReadOnlyList<Lesion> lesions)
    {
        string title = lesions.Count > LesionRows ? Invariant($"Largest {LesionRows} of {lesions.Count} lesions (all are in report.json)") : "Lesions";
        var table = new Table().Title(title).AddColumn("#").AddColumn("Volume (mL)").AddColumn("Largest in-plane diameter (mm)").AddColumn("Slices").AddColumn("Mean probability");
        foreach (Lesion lesion in lesions.Take(LesionRows))
        {
            table.AddRow(
                Invariant($"{lesion.Number}"),
                Invariant($"{lesion.VolumeMl:0.00}"),
                Invariant($"{lesion.LargestInPlaneDiameterMm:0.0}"),
                Invariant($"{lesion.FirstSlice + 1}-{lesion.LastSlice + 1}"),
                Invariant($"{lesion.MeanProbability:0.00}"));
        }

        return table;
    }

    private static Table SelectionTable(IReadOnlyList<SeriesRecord> series)
    {
        var table = new Table().Title("Series selection").AddColumn("Decision").AddColumn("Series").AddColumn("Images").AddColumn("Reason");
        foreach (SeriesRecord record in series)
        {
            string name = record.SeriesNumber is int number
                ? Invariant($"{number} {record.SeriesDescription}")
                : record.SeriesDescription ?? record.SeriesInstanceUid;
            table.AddRow(
                record.Decision.ToString(),
                Markup.Escape(name),
                Invariant($"{record.InstanceCount}"),
                Markup.Escape(record.Reason));
        }

        return table;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
