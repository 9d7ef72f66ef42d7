using System.CommandLine;
using System.Globalization;
using IchFunctions.Imaging.Nifti;
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
        var command = new Command("phantom", "Write synthetic head CT exams with simulated hemorrhage: HU volume and ground-truth mask as NIfTI-1, and a JSON sidecar with lesion kinds and volumes in mL.")
        {
            output, count, seed, negative, maxLesions,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(
            console, parse.GetValue(output)!.FullName, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(negative), parse.GetValue(maxLesions), cancellationToken)));
        return command;
    }

    private static int Run(CliConsole console, string output, int count, int seed, double negativeFraction, int maxLesions, CancellationToken cancellationToken)
    {
        if (count < 1 || negativeFraction is < 0 or > 1 || maxLesions < 1)
        {
            console.WriteError(Invariant($"--count must be at least 1, --negative-fraction between 0 and 1, --max-lesions at least 1 (got {count}, {negativeFraction}, {maxLesions})."));
            return ExitCodes.UsageError;
        }

        Directory.CreateDirectory(output);
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int examSeed = seed + i;
            var random = new Random(examSeed);
            bool negative = random.NextDouble() < negativeFraction;
            IReadOnlyList<LesionSpec> lesions = negative ? [] : LesionSampler.Sample(random, 1 + random.Next(maxLesions));
            SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions { Seed = examSeed, Lesions = lesions });

            string folder = Path.Combine(output, Invariant($"exam-{examSeed:00000}"));
            Directory.CreateDirectory(folder);
            NiftiWriter.WriteInt16(Path.Combine(folder, "ct.nii.gz"), exam.Geometry, exam.Hu);
            NiftiWriter.WriteUInt8(Path.Combine(folder, "mask.nii.gz"), exam.Geometry, exam.Labels);
            File.WriteAllText(Path.Combine(folder, "truth.json"), TruthSidecar.From(exam, examSeed, "mask.nii.gz").ToJson());
            console.Error.WriteLine(Invariant($"  {folder}: {exam.Lesions.Count} lesion(s), {exam.HemorrhageVolumeMl:0.0} mL"));
        }

        console.Out.WriteLine(Invariant($"Wrote {count} synthetic exam(s) to {output}. They are synthetic phantoms, NOT FOR CLINICAL USE."));
        return ExitCodes.Success;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
