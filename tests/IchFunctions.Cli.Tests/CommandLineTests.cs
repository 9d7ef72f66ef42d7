using System.Text.Json;
using IchFunctions.Testing;

namespace IchFunctions.Cli.Tests;

public sealed class CommandLineTests : IDisposable
{
    private static readonly string GoldenModel = Path.Combine(TestData.RepositoryRoot, "tests", "data", "golden", "patchfcn-w0.0625-s3.onnx");

    private readonly string _output = Directory.CreateTempSubdirectory("ich-cli-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await IchCommandLine.RunAsync(args, new CliConsole(output, error, interactive: false), TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_ListsCommandsAndExitCodes()
    {
        (int exitCode, string output, _) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("NOT FOR CLINICAL USE", output, StringComparison.Ordinal);
        Assert.Contains("4 no eligible series", output, StringComparison.Ordinal);
        Assert.Contains("score <input>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_IsUsageError()
    {
        (int exitCode, _, string error) = await RunAsync("frobnicate");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MissingInput_IsInputError()
    {
        (int exitCode, _, string error) = await RunAsync("score", "/nonexistent/exam.dcm", "--model", GoldenModel);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Contains("/nonexistent/exam.dcm", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MistypedOption_IsUsageError()
    {
        (int exitCode, _, string error) = await RunAsync("score", TestData.Require("dcm_qa_ct/GE_head_tilt"), "--ouput", _output, "--model", GoldenModel);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("Unknown option '--ouput'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_CorruptZip_IsInputError()
    {
        string zip = Path.Combine(_output, "corrupt.zip");
        await File.WriteAllTextAsync(zip, "not a zip archive", TestContext.Current.CancellationToken);

        (int exitCode, _, string error) = await RunAsync("score", zip, "--model", GoldenModel);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Contains("corrupt.zip is not a valid zip archive", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ModelWithoutContract_IsModelError()
    {
        string notAModel = Path.Combine(_output, "empty.onnx");
        await File.WriteAllBytesAsync(notAModel, [1, 2, 3], TestContext.Current.CancellationToken);

        (int exitCode, _, string error) = await RunAsync("score", TestData.Require("dcm_qa_ct/GE_head_tilt"), "--model", notAModel);

        Assert.Equal(ExitCodes.ModelError, exitCode);
        Assert.Contains("empty.onnx", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_OtherFiles_ExitsNoEligibleSeries()
    {
        (int exitCode, string output, _) = await RunAsync("score", TestData.Require("other"), "--model", GoldenModel, "--out", _output);

        Assert.Equal(ExitCodes.NoEligibleSeries, exitCode);
        Assert.Contains("Series selection", output, StringComparison.Ordinal);
        Assert.Contains("Localizer", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_output, "report.json")));
    }

    [Fact]
    public async Task Score_PhilipsPhantomJson_PrintsReport()
    {
        (int exitCode, string output, _) = await RunAsync("score", TestData.Require("dcm_qa_ct/Philips_head_phantom"), "--model", GoldenModel, "--out", _output, "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.Equal("scored", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(28, report.RootElement.GetProperty("slices").GetArrayLength());
        Assert.True(report.RootElement.GetProperty("not_for_clinical_use").GetBoolean());
    }

    [Fact]
    public async Task Score_UnknownOperatingPoint_IsUsageError()
    {
        (int exitCode, _, string error) = await RunAsync("score", TestData.Require("dcm_qa_ct/GE_head_tilt"), "--model", GoldenModel, "--operating-point", "paranoid");

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("'paranoid'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInspect_GoldenModel_ShowsContract()
    {
        (int exitCode, string output, _) = await RunAsync("model", "inspect", GoldenModel, "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        using JsonDocument contract = JsonDocument.Parse(output);
        Assert.Equal(3, contract.RootElement.GetProperty("input").GetProperty("context_slices").GetInt32());
    }

    [Fact]
    public async Task ModelInspect_Table_ShowsInputAndOperatingPoints()
    {
        (int exitCode, string output, string error) = await RunAsync("model", "inspect", GoldenModel);

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.Contains("hu [N, 3, H, W]", output, StringComparison.Ordinal);
        Assert.Contains("Operating point 'default'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInspect_BundledModel_IsDemoNotForClinicalUse()
    {
        string bundled = Path.Combine(TestData.RepositoryRoot, "models", "patchfcn-demo.onnx");

        (int exitCode, string output, _) = await RunAsync("model", "inspect", bundled, "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        using JsonDocument contract = JsonDocument.Parse(output);
        Assert.Equal("patchfcn-demo", contract.RootElement.GetProperty("model_name").GetString());
        Assert.True(contract.RootElement.GetProperty("not_for_clinical_use").GetBoolean());
    }

    [Fact]
    public async Task Phantom_WritesSeriesAndTruth()
    {
        (int exitCode, _, _) = await RunAsync("phantom", "--out", _output, "--count", "1", "--seed", "7", "--negative-fraction", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        string exam = Path.Combine(_output, "exam-00007");
        Assert.Equal(28, Directory.GetFiles(Path.Combine(exam, "ct")).Length);
        Assert.True(File.Exists(Path.Combine(exam, "truth_mask.nii.gz")));
        Assert.True(File.Exists(Path.Combine(exam, "truth_seg.dcm")));
        using JsonDocument truth = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(exam, "truth.json"), TestContext.Current.CancellationToken));
        Assert.True(truth.RootElement.GetProperty("total_volume_ml").GetDouble() > 0);
    }

    [Fact]
    public async Task Eval_PhantomExams_PrintsMetricsAndStatement()
    {
        string exams = Path.Combine(_output, "exams");
        (int phantomExit, _, _) = await RunAsync("phantom", "--out", exams, "--count", "2", "--seed", "11", "--negative-fraction", "0.5");
        string bundled = Path.Combine(TestData.RepositoryRoot, "models", "patchfcn-demo.onnx");

        (int exitCode, string output, _) = await RunAsync("eval", exams, "--labels", "Seg", "--model", bundled, "--resamples", "50");

        Assert.Equal(ExitCodes.Success, phantomExit);
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("2 exams", output, StringComparison.Ordinal);
        Assert.Contains("Exam AUC", output, StringComparison.Ordinal);
        Assert.Contains("NOT FOR CLINICAL USE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Phantom_RealBackground_KeepsTruthInSeg()
    {
        (int exitCode, _, string error) = await RunAsync("phantom", "--out", _output, "--seed", "3", "--negative-fraction", "0", "--background", TestData.Require("dcm_qa_ct/GE_head_tilt"));

        Assert.True(exitCode == ExitCodes.Success, error);
        string exam = Path.Combine(_output, "exam-00003");
        Assert.Equal(28, Directory.GetFiles(Path.Combine(exam, "ct")).Length);
        Assert.True(File.Exists(Path.Combine(exam, "truth_seg.dcm")));
        Assert.False(File.Exists(Path.Combine(exam, "truth_mask.nii.gz")), "the GE series is not evenly spaced, so no NIfTI mask can describe it");
    }
}
