using System.CommandLine;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Cli.Commands;

/// <summary><c>ich score</c>: score one exam from a folder, a zip or files.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("input")
        {
            Description = "The exam: one folder (searched recursively), one .zip file, or DICOM files. Leave out with --dicomweb.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dicomWeb = new Option<string?>("--dicomweb") { Description = "DICOMweb base URL (for example http://127.0.0.1:8042/dicom-web) to read the study from, with --study." };
        var study = new Option<string?>("--study") { Description = "Study Instance UID to score from the --dicomweb server." };
        var writeBack = new Option<bool>("--write-back") { Description = "Store the SEG and SR into the study on the --dicomweb server with STOW-RS." };
        var model = new Option<FileInfo?>("--model") { Description = $"ONNX model file in the model contract. Default: ${ModelLocator.ModelVariable}, else the bundled demonstration model." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json and key images; created if missing.", DefaultValueFactory = _ => new DirectoryInfo("ich-output") };
        var operatingPoint = new Option<string>("--operating-point") { Description = "Contract operating point whose threshold decides positive or negative.", DefaultValueFactory = _ => "default" };
        var json = new Option<bool>("--json") { Description = "Print report.json to stdout instead of the summary table." };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per batch; 0 divides the CPU cores among the concurrent batches.", DefaultValueFactory = _ => 0 };
        var concurrent = new Option<int>("--concurrent-batches") { Description = "Batches run at once; 0 chooses 2 on a CPU with two or more cores and 1 on CUDA.", DefaultValueFactory = _ => 0 };
        var device = new Option<ExecutionProvider>("--device") { Description = "Where the model runs: Cpu, or Cuda (needs the GPU build of ONNX Runtime).", DefaultValueFactory = _ => ExecutionProvider.Cpu };
        var batch = new Option<int>("--batch-size") { Description = "Slices per inference call.", DefaultValueFactory = _ => 4 };
        var segmentation = new Option<SegmentationType>("--seg") { Description = "DICOM SEG type: Binary (mask at the model's pixel threshold), Fractional (8-bit probabilities) or Labelmap (Label Map Segmentation Storage, one segment number per pixel).", DefaultValueFactory = _ => SegmentationType.Binary };
        var contrast = new Option<ContrastPolicy>("--contrast") { Description = "Series whose header says contrast was given: Reject them, or Warn and score.", DefaultValueFactory = _ => ContrastPolicy.Reject };

        var command = new Command("score", "Score a head CT exam: exam probability, decision, bleed volume, lesions; writes a DICOM SEG and SR, report.json and key images.")
        {
            paths, dicomWeb, study, writeBack, model, output, operatingPoint, json, threads, concurrent, device, batch, contrast, segmentation,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(console, new ScoreSettings(
            parse.GetValue(paths)!,
            parse.GetValue(dicomWeb),
            parse.GetValue(study),
            parse.GetValue(writeBack),
            ModelLocator.Resolve(parse.GetValue(model)),
            parse.GetValue(output)!.FullName,
            parse.GetValue(operatingPoint)!,
            parse.GetValue(json),
            new OnnxEngineOptions { IntraOpThreads = parse.GetValue(threads), ConcurrentRuns = parse.GetValue(concurrent), Provider = parse.GetValue(device), BatchSize = parse.GetValue(batch) },
            parse.GetValue(contrast),
            parse.GetValue(segmentation)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, ScoreSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Engine.BatchSize < 1 || settings.Engine.IntraOpThreads < 0 || settings.Engine.ConcurrentRuns < 0)
        {
            console.WriteError($"--batch-size must be at least 1, and --threads and --concurrent-batches at least 0 (got {settings.Engine.BatchSize}, {settings.Engine.IntraOpThreads} and {settings.Engine.ConcurrentRuns}).");
            return ExitCodes.UsageError;
        }

        // System.CommandLine passes a mistyped option on to the input paths; name it as an option instead.
        if (settings.Paths.FirstOrDefault(path => path.StartsWith('-') && !Path.Exists(path)) is { } unknown)
        {
            console.WriteError($"Unknown option '{unknown}'; 'ich score --help' lists the options.");
            return ExitCodes.UsageError;
        }

        if ((settings.DicomWebUrl is null) == (settings.Paths.Count == 0) || (settings.DicomWebUrl is null) != (settings.Study is null) || (settings.WriteBack && settings.DicomWebUrl is null))
        {
            console.WriteError("Give either input paths, or --dicomweb with --study (and optionally --write-back).");
            return ExitCodes.UsageError;
        }

        Uri? dicomWeb = null;
        if (settings.DicomWebUrl is not null && (!Uri.TryCreate(settings.DicomWebUrl, UriKind.Absolute, out dicomWeb) || dicomWeb.Scheme is not ("http" or "https")))
        {
            console.WriteError($"--dicomweb '{settings.DicomWebUrl}' is not an absolute http or https URL.");
            return ExitCodes.UsageError;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        IInstanceSource source;
        try
        {
            source = dicomWeb is null
                ? InputSources.Open(settings.Paths)
                : await DicomWebSource.OpenAsync(new DicomWebClient(http, new DicomWebEndpoint(dicomWeb)), settings.Study!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or HttpRequestException or DicomWebException or DicomDataException)
        {
            console.WriteError(error.Message);
            return ExitCodes.InputError;
        }

        using (source)
        {
            OnnxModelRunner? runner = ModelLocator.TryLoad(console, settings.ModelPath, settings.Engine);
            if (runner is null)
            {
                return ExitCodes.ModelError;
            }

            using (runner)
            {
                return await ScoreAsync(console, settings, runner, source, http, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> ScoreAsync(CliConsole console, ScoreSettings settings, OnnxModelRunner runner, IInstanceSource source, HttpClient http, CancellationToken cancellationToken)
    {
        if (source.Locations.Count == 0)
        {
            console.WriteError($"No files found in {source.Description}.");
            return ExitCodes.InputError;
        }

        ExamScorer scorer;
        try
        {
            scorer = new ExamScorer(runner, new ScoringOptions
            {
                OperatingPoint = settings.OperatingPoint,
                BatchSize = settings.Engine.BatchSize,
                Selection = SelectionOptions.Default with { Contrast = settings.Contrast },
            });
        }
        catch (ModelContractException error)
        {
            console.WriteError(error.Message);
            return ExitCodes.UsageError;
        }

        ScoringResult result;
        try
        {
            result = await ProgressDisplay.RunAsync(console, source.Description, progress => scorer.ScoreAsync(source, progress, cancellationToken)).ConfigureAwait(false);
        }
        catch (DicomDataException error)
        {
            console.WriteError($"The selected series could not be read: {error.Message}");
            return ExitCodes.InputError;
        }
        catch (InferenceException error)
        {
            console.WriteError(error.Message);
            return ExitCodes.ModelError;
        }
        catch (Exception error) when (error is HttpRequestException or DicomWebException)
        {
            console.WriteError($"Reading the study from the DICOMweb server failed: {error.Message}");
            return ExitCodes.InputError;
        }

        ExamOutputFiles files = await ExamOutputWriter.WriteAsync(
            result, source, settings.OutputDirectory, DateTimeOffset.UtcNow, new ExamOutputOptions { SegmentationType = settings.Segmentation }, cancellationToken).ConfigureAwait(false);
        if (settings.WriteBack && files.SegmentationPath is not null)
        {
            try
            {
                var stored = await StowClient.StoreAsync(
                    http, new Uri(settings.DicomWebUrl!), settings.Study!, [DicomReader.ReadFile(files.SegmentationPath), DicomReader.ReadFile(files.ReportSrPath!)], cancellationToken).ConfigureAwait(false);
                console.Error.WriteLine($"Stored in study {settings.Study}: {string.Join(", ", stored.Select(s => $"{s.SopInstanceUid} ({s.Status})"))}");
            }
            catch (Exception error) when (error is HttpRequestException or DicomWebException)
            {
                console.WriteError($"Writing the SEG and SR back failed: {error.Message}");
                return ExitCodes.Failure;
            }
        }

        if (settings.Json)
        {
            await console.Out.WriteLineAsync(await File.ReadAllTextAsync(files.ReportPath, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            ResultSummary.Write(console, result, files);
        }

        return result.Scored ? ExitCodes.Success : ExitCodes.NoEligibleSeries;
    }

    private sealed record ScoreSettings(
        IReadOnlyList<string> Paths,
        string? DicomWebUrl,
        string? Study,
        bool WriteBack,
        string ModelPath,
        string OutputDirectory,
        string OperatingPoint,
        bool Json,
        OnnxEngineOptions Engine,
        ContrastPolicy Contrast,
        SegmentationType Segmentation);
}
