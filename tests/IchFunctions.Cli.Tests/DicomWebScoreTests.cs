using System.Text.Json;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Testing;

namespace IchFunctions.Cli.Tests;

/// <summary><c>ich score --dicomweb</c> against the Orthanc that build.sh starts, with a study this test owns.</summary>
public sealed class DicomWebScoreTests : IDisposable
{
    private static readonly string GoldenModel = Path.Combine(TestData.RepositoryRoot, "tests", "data", "golden", "patchfcn-w0.0625-s3.onnx");

    private readonly string _directory = Directory.CreateTempSubdirectory("ich-dicomweb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ScoreWriteBack_TwiceStoresOneSegAndOneSr()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions
        {
            Seed = 77_001, Rows = 128, Columns = 128, PixelSpacingMm = 1.8, SliceCount = 12, SliceThicknessMm = 10,
            Lesions = [new LesionSpec(HemorrhageKind.Subdural, 0, 0.5, 50, ThicknessMm: 8)],
        });
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(exam, 77_001, Path.Combine(_directory, "exam"), cancellationToken: cancellationToken);
        string study = files.Headers[0].GetString(IchFunctions.Dicom.DicomTags.StudyInstanceUid)!;

        var stow = new MultipartRelatedContent();
        foreach (string file in files.SliceFiles)
        {
            stow.AddFile(file);
        }

        using (HttpResponseMessage stored = await http.PostAsync(new Uri(TestServers.DicomWebRoot, "studies"), stow, cancellationToken))
        {
            Assert.True(stored.IsSuccessStatusCode, $"storing the source series failed: {(int)stored.StatusCode}");
        }

        try
        {
            for (int run = 0; run < 2; run++)
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                int exitCode = await IchCommandLine.RunAsync(
                    ["score", "--dicomweb", TestServers.DicomWebRoot.AbsoluteUri, "--study", study, "--write-back", "--model", GoldenModel, "--out", Path.Combine(_directory, $"out{run}")],
                    new CliConsole(output, error, interactive: false),
                    cancellationToken);
                Assert.True(exitCode == ExitCodes.Success, error.ToString());
            }

            using HttpResponseMessage series = await http.GetAsync(new Uri(TestServers.DicomWebRoot, $"studies/{study}/series"), cancellationToken);
            using JsonDocument found = JsonDocument.Parse(await series.Content.ReadAsStringAsync(cancellationToken));
            string[] modalities = found.RootElement.EnumerateArray().Select(s => s.GetProperty("00080060").GetProperty("Value")[0].GetString()!).Order().ToArray();
            Assert.Equal(["CT", "SEG", "SR"], modalities);

            using HttpResponseMessage instances = await http.GetAsync(new Uri(TestServers.DicomWebRoot, $"studies/{study}/instances"), cancellationToken);
            using JsonDocument all = JsonDocument.Parse(await instances.Content.ReadAsStringAsync(cancellationToken));
            Assert.Equal(12 + 2, all.RootElement.GetArrayLength());
        }
        finally
        {
            await OrthancStudies.DeleteAsync(http, study, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Score_InvalidStudyUid_IsInputError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await IchCommandLine.RunAsync(
            ["score", "--dicomweb", TestServers.DicomWebRoot.AbsoluteUri, "--study", "1.2.03x", "--model", GoldenModel],
            new CliConsole(output, error, interactive: false),
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Contains("'1.2.03x' is not a valid UID", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_PathsAndDicomWeb_IsUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await IchCommandLine.RunAsync(
            ["score", "/tmp", "--dicomweb", "http://127.0.0.1:1/dicom-web", "--study", "1.2.3"],
            new CliConsole(output, error, interactive: false),
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.UsageError, exitCode);
    }
}
