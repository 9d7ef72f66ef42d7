using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Dicom.Uids;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Volumes;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Orchestration.Support;

/// <summary>
/// A study this test owns in the shared Orthanc, made from the real GE head series under new UIDs, and
/// deleted when disposed. Other test projects use the same Orthanc, so no test touches their studies.
/// </summary>
public sealed class TestStudy : IAsyncDisposable
{
    public const string GeSeries = "dcm_qa_ct/GE_head_tilt";

    private readonly HttpClient _http = new();

    private TestStudy(string studyInstanceUid, int instanceCount)
    {
        StudyInstanceUid = studyInstanceUid;
        InstanceCount = instanceCount;
    }

    public string StudyInstanceUid { get; }

    public int InstanceCount { get; }

    /// <summary>
    /// Stores the GE series with a simulated intraparenchymal hemorrhage inserted (or none), written by the
    /// synthetic series writer under UIDs derived from <paramref name="seed"/> and a random part.
    /// </summary>
    public static async Task<TestStudy> StoreGeWithHemorrhageAsync(int seed, bool hemorrhage, CancellationToken cancellationToken) =>
        await StoreAsync(CreateGeWithHemorrhage(seed, hemorrhage, cancellationToken), cancellationToken);

    /// <summary>Creates the data sets <see cref="StoreGeWithHemorrhageAsync"/> stores, pixel data included, under new UIDs.</summary>
    public static List<DicomDataset> CreateGeWithHemorrhage(int seed, bool hemorrhage, CancellationToken cancellationToken)
    {
        string folder = TestData.Require(GeSeries);
        HuVolume background;
        using (FileSource source = FileSource.FromFolder(folder))
        {
            SelectionResult selection = SeriesSelector.Select(InstanceScanner.Scan(source, cancellationToken: cancellationToken).Instances);
            background = HuVolumeLoader.Load(source, selection.SelectedGeometry!, selection.SelectedInstances!, cancellationToken: cancellationToken);
        }

        LesionSpec[] lesions = hemorrhage ? [new LesionSpec(HemorrhageKind.Intraparenchymal, 30, 0.6, 22, DensityHu: 70)] : [];
        SyntheticExam exam = SyntheticExamGenerator.InsertIntoBackground(background.Geometry, background.Voxels, lesions, seed);
        IReadOnlyList<DicomDataset> series = SyntheticSeriesWriter.CreateSeries(
            exam, seed, SyntheticSeriesOptions.Default with { WriteTruthSegmentation = false });
        return ReUid(series.ToList());
    }

    /// <summary>
    /// Stores a copy of the GE series files under new UIDs, after <paramref name="change"/> edits each data set
    /// (given its index in file name order).
    /// </summary>
    public static async Task<TestStudy> StoreGeCopyAsync(Action<DicomDataset, int>? change, CancellationToken cancellationToken)
    {
        string folder = TestData.Require(GeSeries);
        var datasets = new List<DicomDataset>();
        foreach (string file in Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal))
        {
            datasets.Add(DicomReader.ReadFile(file).Dataset);
        }

        List<DicomDataset> copies = ReUid(datasets);
        for (int i = 0; i < copies.Count; i++)
        {
            change?.Invoke(copies[i], i);
        }

        return await StoreAsync(copies, cancellationToken);
    }

    /// <summary>Returns the instances of the study on the server with their modality.</summary>
    public async Task<IReadOnlyList<(string Modality, string SopInstanceUid)>> ListInstancesAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(
            new Uri(TestServers.DicomWebRoot, $"studies/{StudyInstanceUid}/instances?includefield=00080060"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.EnumerateArray()
            .Select(instance => (
                instance.GetProperty("00080060").GetProperty("Value")[0].GetString()!,
                instance.GetProperty("00080018").GetProperty("Value")[0].GetString()!))
            .ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await OrthancStudies.DeleteAsync(_http, StudyInstanceUid, CancellationToken.None);
        _http.Dispose();
    }

    /// <summary>Gives the data sets one new study and series UID and a new SOP Instance UID each.</summary>
    private static List<DicomDataset> ReUid(List<DicomDataset> datasets)
    {
        string study = DicomUidGenerator.NewUid();
        string series = DicomUidGenerator.NewUid();
        foreach (DicomDataset dataset in datasets)
        {
            dataset.SetStrings(DicomTags.StudyInstanceUid, DicomVR.UI, study);
            dataset.SetStrings(DicomTags.SeriesInstanceUid, DicomVR.UI, series);
            dataset.SetStrings(DicomTags.SopInstanceUid, DicomVR.UI, DicomUidGenerator.NewUid());
        }

        return datasets;
    }

    /// <summary>Returns the data set as a Part 10 file in Explicit VR Little Endian.</summary>
    public static async Task<byte[]> ToPart10Async(DicomDataset dataset, CancellationToken cancellationToken)
    {
        var meta = new DicomDataset();
        meta.SetStrings(DicomTags.MediaStorageSopClassUid, DicomVR.UI, dataset.GetString(DicomTags.SopClassUid)!);
        meta.SetStrings(DicomTags.MediaStorageSopInstanceUid, DicomVR.UI, dataset.GetString(DicomTags.SopInstanceUid)!);
        meta.SetStrings(DicomTags.TransferSyntaxUid, DicomVR.UI, TransferSyntaxUids.ExplicitVRLittleEndian);
        using var buffer = new MemoryStream();
        await DicomWriter.WriteAsync(buffer, new DicomFile(meta, dataset, TransferSyntaxUids.ExplicitVRLittleEndian), cancellationToken: cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Stores the data sets, which must share one study UID, and returns the study.</summary>
    public static async Task<TestStudy> StoreAsync(List<DicomDataset> datasets, CancellationToken cancellationToken)
    {
        var content = new MultipartRelatedContent();
        foreach (DicomDataset dataset in datasets)
        {
            byte[] file = await ToPart10Async(dataset, cancellationToken);
            content.Add("application/dicom", _ => Task.FromResult<Stream>(new MemoryStream(file)));
        }

        string study = datasets[0].GetString(DicomTags.StudyInstanceUid)!;
        var created = new TestStudy(study, datasets.Count);
        using HttpResponseMessage response = await created._http.PostAsync(new Uri(TestServers.DicomWebRoot, "studies"), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await created.DisposeAsync();
            throw new InvalidOperationException($"Storing test study {study} in Orthanc failed with HTTP {(int)response.StatusCode}.");
        }

        return created;
    }
}
