using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using Spectre.Console;

namespace IchFunctions.Cli.Commands;

/// <summary><c>ich model inspect</c>: validate a model file against the contract and show what it declares.</summary>
internal static class ModelCommand
{
    private static readonly JsonSerializerOptions ContractJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("model") { Description = "The .onnx model file to check." };
        var json = new Option<bool>("--json") { Description = "Print the contract as JSON instead of a table." };
        var inspect = new Command("inspect", "Check an ONNX model against the model contract and print its name, version, input, tiling and operating points.") { file, json };
        inspect.SetAction(parse => Inspect(console, parse.GetValue(file)!, parse.GetValue(json)));

        var command = new Command("model", "Work with model files.");
        command.Subcommands.Add(inspect);
        return command;
    }

    private static int Inspect(CliConsole console, FileInfo file, bool json)
    {
        ModelContract contract;
        try
        {
            using OnnxModelRunner runner = OnnxModelRunner.Load(file.FullName);
            contract = runner.Contract;
        }
        catch (Exception error) when (error is FileNotFoundException or ModelContractException or InferenceException)
        {
            console.WriteError(error.Message);
            return ExitCodes.ModelError;
        }

        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(contract, ContractJson));
            return ExitCodes.Success;
        }

        var table = new Table().Title(Markup.Escape($"{file.Name}: valid model contract {contract.ContractVersion}")).AddColumn("Field").AddColumn("Value");
        table.AddRow("Model", Markup.Escape($"{contract.ModelName} {contract.ModelVersion}"));
        table.AddRow("Intended use", Markup.Escape(contract.IntendedUse));
        table.AddRow("Not for clinical use", contract.NotForClinicalUse ? "[bold yellow]yes[/]" : "no");
        table.AddRow("Input", Markup.Escape(Invariant($"hu [N, {contract.Input.ContextSlices}, H, W] in HU, H and W multiples of {contract.Input.SizeMultiple}")));
        table.AddRow("Pixel spacing", contract.PixelSpacingMm is null ? "native" : Invariant($"{contract.PixelSpacingMm[0]} x {contract.PixelSpacingMm[1]} mm"));
        table.AddRow("Tiling", contract.Tiling.IsPatch ? Invariant($"patches of {contract.Tiling.PatchSize} px every {contract.Tiling.Stride} px") : "whole slice");
        table.AddRow("Exam score", Markup.Escape(contract.ExamScoreRule));
        table.AddRow("Pixel threshold", Invariant($"{contract.PixelThreshold}"));
        foreach (ContractOperatingPoint point in contract.OperatingPoints)
        {
            string measured = point.Sensitivity is double sensitivity && point.Specificity is double specificity
                ? Invariant($"sensitivity {sensitivity:0.000}, specificity {specificity:0.000}")
                : "not measured";
            table.AddRow(Markup.Escape($"Operating point '{point.Name}'"), Invariant($"threshold {point.Threshold}: {measured}"));
        }

        if (contract.Evaluation is { } evaluation)
        {
            table.AddRow("Evaluated on", Markup.Escape(Invariant($"{evaluation.Dataset} ({evaluation.Exams} exams, {evaluation.PositiveExams} positive)")));
        }

        console.Ansi.Write(table);
        return ExitCodes.Success;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
