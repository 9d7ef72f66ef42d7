using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Dicom.Uids;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>
/// A copy of real DICOM files under fresh Study, Series and SOP Instance UIDs, so that tests sharing one
/// Orthanc never collide. Stored with STOW-RS and deleted again on dispose.
/// </summary>
public sealed class StoredStudy : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly string _directory;

    private StoredStudy(string directory, string studyInstanceUid)
    {
        _directory = directory;
        StudyInstanceUid = studyInstanceUid;
    }

    public string StudyInstanceUid { get; }

    /// <summary>Every stored instance: series, SOP instance and the path of the re-identified file.</summary>
    public List<(string SeriesInstanceUid, string SopInstanceUid, string Path)> Instances { get; } = [];

    /// <summary>The GE head CT series with gantry tilt (28 slices), re-identified.</summary>
    public static string GeHeadSeriesFolder => TestData.Require("dcm_qa_ct/GE_head_tilt");

    /// <summary>Re-identifies the files of <paramref name="sourceFolders"/> (one series each) into one new study; stores nothing yet.</summary>
    public static async Task<StoredStudy> CreateAsync(IEnumerable<string> sourceFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceFiles);
        string directory = Directory.CreateTempSubdirectory("ich-triggers-").FullName;
        var study = new StoredStudy(directory, DicomUidGenerator.NewUid());
        var seriesMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string source in sourceFiles)
        {
            DicomFile file = await DicomReader.ReadFileAsync(source, cancellationToken: cancellationToken);
            string originalSeries = file.Dataset.GetString(DicomTags.SeriesInstanceUid)!;
            if (!seriesMap.TryGetValue(originalSeries, out string? series))
            {
                series = DicomUidGenerator.NewUid();
                seriesMap[originalSeries] = series;
            }

            string sop = DicomUidGenerator.NewUid();
            file.Dataset.SetStrings(DicomTags.StudyInstanceUid, DicomVR.UI, study.StudyInstanceUid);
            file.Dataset.SetStrings(DicomTags.SeriesInstanceUid, DicomVR.UI, series);
            file.Dataset.SetStrings(DicomTags.SopInstanceUid, DicomVR.UI, sop);
            file.FileMetaInformation.SetStrings(DicomTags.MediaStorageSopInstanceUid, DicomVR.UI, sop);
            string path = Path.Combine(directory, $"{study.Instances.Count:D4}.dcm");
            await DicomWriter.WriteFileAsync(path, file, cancellationToken: cancellationToken);
            study.Instances.Add((series, sop, path));
        }

        return study;
    }

    /// <summary>Stores every instance in the test Orthanc with STOW-RS.</summary>
    public async Task StoreAsync(CancellationToken cancellationToken)
    {
        var stow = new MultipartRelatedContent();
        foreach ((_, _, string path) in Instances)
        {
            stow.AddFile(path);
        }

        using HttpResponseMessage stored = await _http.PostAsync(new Uri(TestServers.DicomWebRoot, "studies"), stow, cancellationToken);
        Assert.True(stored.IsSuccessStatusCode, $"STOW-RS of the test study failed: HTTP {(int)stored.StatusCode}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Environment.GetEnvironmentVariable(TestServers.OrthancVariable) is { Length: > 0 })
            {
                await OrthancStudies.DeleteAsync(_http, StudyInstanceUid, CancellationToken.None);
            }
        }
        finally
        {
            _http.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
