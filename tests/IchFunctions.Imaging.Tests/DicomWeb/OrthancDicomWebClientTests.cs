using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Tests.Outputs.Support;
using DicomWebClient = IchFunctions.Imaging.DicomWeb.DicomWebClient;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.DicomWeb;

/// <summary>
/// The client against the Orthanc that the test command starts (DICOMweb plugin 1.7). The series is a
/// synthetic exam with a study UID of its own, because other test projects store and delete the real series
/// in the same Orthanc at the same time.
/// </summary>
public sealed class OrthancDicomWebClientTests
{
    private const int Seed = 7311;
    private const int SliceCount = 12;

    private static readonly Lazy<SyntheticExam> Exam = new(() => SyntheticExamGenerator.Generate(new SyntheticExamOptions
    {
        Seed = Seed,
        Rows = 96,
        Columns = 96,
        PixelSpacingMm = 2.4,
        SliceCount = SliceCount,
        SliceThicknessMm = 10,
        Lesions = [new LesionSpec(HemorrhageKind.Intraparenchymal, 30, 0.5, 15)],
    }));

    [Fact]
    public async Task Client_SyntheticSeries_SearchesRetrievesAndStoresSegTwice()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: cancellationToken);
        DicomFile[] slices = [.. files.SliceFiles.Select(path => DicomReader.ReadFile(path))];
        string study = slices[0].Dataset.GetString(DicomTags.StudyInstanceUid)!;
        string series = slices[0].Dataset.GetString(DicomTags.SeriesInstanceUid)!;
        var recorder = new RecordingHandler(new HttpClientHandler());
        using var http = new HttpClient(recorder);
        var client = new DicomWebClient(http, new DicomWebEndpoint(TestServers.DicomWebRoot));

        try
        {
            StowResult stored = await client.StoreAsync(slices, study, cancellationToken);
            Assert.True(stored.AllStored);
            Assert.Equal(SliceCount, stored.Instances.Count);

            // QIDO-RS: the study, its one series, and its instances in pages of five (5 + 5 + 2).
            Assert.Single(await client.SearchAsync(QidoTarget.Studies(), QidoQuery.All.Where("StudyInstanceUID", study), cancellationToken));
            DicomDataset seriesResult = Assert.Single(await client.SearchAsync(QidoTarget.Series(study), QidoQuery.All.Where("Modality", "CT"), cancellationToken));
            Assert.Equal(series, seriesResult.GetString(DicomTags.SeriesInstanceUid));
            List<DicomDataset> instances = await client.SearchAllAsync(
                QidoTarget.Instances(study, series), QidoQuery.All.Include("InstanceNumber"), pageSize: 5, cancellationToken).ToListAsync(cancellationToken);
            Assert.Equal(slices.Select(Uid).Order(StringComparer.Ordinal), instances.Select(Uid).Order(StringComparer.Ordinal));
            Assert.Equal(3, recorder.Paths.Count(path => path.Contains("/instances?", StringComparison.Ordinal)));

            // WADO-RS metadata.
            IReadOnlyList<DicomDataset> metadata = await client.RetrieveSeriesMetadataAsync(study, series, cancellationToken);
            Assert.Equal(SliceCount, metadata.Count);
            Assert.All(metadata, dataset => Assert.Equal("CT", dataset.GetString(DicomTags.Modality)));
            DicomDataset instanceMetadata = await client.RetrieveInstanceMetadataAsync(study, series, Uid(slices[3]), cancellationToken);
            Assert.Equal(Uid(slices[3]), Uid(instanceMetadata));

            // WADO-RS instances: Orthanc rejects single-part retrieval with 400, so the first retrieval falls
            // back to multipart and later ones go straight there.
            foreach (DicomFile slice in slices.Take(3))
            {
                await using Stream body = await client.RetrieveInstanceAsync(study, series, Uid(slice), cancellationToken);
                DicomFile retrieved = await DicomReader.ReadAsync(body, cancellationToken: cancellationToken);
                Assert.Equal(Uid(slice), Uid(retrieved.Dataset));
                Assert.Equal(DicomWebClient.ExplicitVrLittleEndian, retrieved.TransferSyntaxUid);
                Assert.Equal(slice.Dataset.Find(DicomTags.PixelData)!.Value.ToArray(), retrieved.Dataset.Find(DicomTags.PixelData)!.Value.ToArray());
            }

            string[] retrievals = [.. recorder.Accepts.Where(entry => entry.Path.EndsWith(Uid(slices[0]), StringComparison.Ordinal)
                || entry.Path.EndsWith(Uid(slices[1]), StringComparison.Ordinal) || entry.Path.EndsWith(Uid(slices[2]), StringComparison.Ordinal)).Select(entry => entry.Accept)];
            Assert.Equal([DicomWebClient.SinglePartInstanceAccept, DicomWebClient.MultipartInstanceAccept, DicomWebClient.MultipartInstanceAccept, DicomWebClient.MultipartInstanceAccept], retrievals);

            // STOW-RS of a SEG with deterministic UIDs, twice: both count as stored and one copy is kept.
            DicomFile seg = WriteSeg(files);
            StowResult first = await client.StoreAsync([seg], study, cancellationToken);
            Assert.Equal(StowInstanceStatus.Stored, Assert.Single(first.Instances).Status);
            StowResult second = await client.StoreAsync([WriteSeg(files)], study, cancellationToken);
            Assert.True(second.AllStored);
            Assert.Single(await client.SearchAsync(QidoTarget.Series(study), QidoQuery.All.Where("Modality", "SEG"), cancellationToken));
            Assert.Single(await client.SearchAsync(QidoTarget.Instances(study), QidoQuery.All.Where("SOPInstanceUID", Uid(seg)), cancellationToken));
        }
        finally
        {
            using var cleanup = new HttpClient();
            await OrthancStudies.DeleteAsync(cleanup, study, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RetrieveInstance_JpegLosslessFile_TranscodesToExplicitLittleEndian()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        DicomFile source = DicomReader.ReadFile(TestData.Require("nema_wg04_ct2/CT2_JPLL"));
        string study = source.Dataset.GetString(DicomTags.StudyInstanceUid)!;
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(TestServers.DicomWebRoot));

        try
        {
            Assert.True((await client.StoreAsync([source], study, cancellationToken)).AllStored);

            await using Stream body = await client.RetrieveInstanceAsync(study, source.Dataset.GetString(DicomTags.SeriesInstanceUid)!, Uid(source.Dataset), cancellationToken);
            DicomFile retrieved = await DicomReader.ReadAsync(body, cancellationToken: cancellationToken);

            Assert.Equal(TransferSyntaxUids.JpegLosslessSV1, source.TransferSyntaxUid);
            Assert.Equal(DicomWebClient.ExplicitVrLittleEndian, retrieved.TransferSyntaxUid);
            Assert.Equal(512 * 512 * 2, retrieved.Dataset.Find(DicomTags.PixelData)!.Value.Length);
        }
        finally
        {
            using var cleanup = new HttpClient();
            await OrthancStudies.DeleteAsync(cleanup, study, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RetrieveInstance_UnknownInstance_ThrowsNotFound()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        var client = new DicomWebClient(http, new DicomWebEndpoint(TestServers.DicomWebRoot));

        var exception = await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveInstanceAsync("1.2.3.999", "1.2.3.999.1", "1.2.3.999.1.1", cancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("1.2.3.999.1.1", exception.Message, StringComparison.Ordinal);
    }

    private static DicomFile WriteSeg(SyntheticSeriesFiles files)
    {
        var options = new DicomReaderOptions { StopBeforePixelData = true };
        SourceSeries source = SourceSeries.FromHeaders(files.SliceFiles.Select(path => DicomReader.ReadFile(path, options).Dataset));
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        return SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt);
    }

    private static string Uid(DicomFile file) => Uid(file.Dataset);

    private static string Uid(DicomDataset dataset) => dataset.GetString(DicomTags.SopInstanceUid)!;

    /// <summary>Records the path and Accept header of every request.</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly List<(string Path, string Accept)> _requests = [];

        public IReadOnlyList<(string Path, string Accept)> Accepts
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public IEnumerable<string> Paths => Accepts.Select(entry => entry.Path);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_requests)
            {
                _requests.Add((request.RequestUri!.PathAndQuery, string.Join(", ", request.Headers.GetValues("Accept"))));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
