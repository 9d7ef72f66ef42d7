using System.Net;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Archive;

/// <summary>
/// Stores a series with its SEG and SR in Orthanc, finds and retrieves them, and stores a rerun's outputs
/// again. The series is a synthetic exam with its own study UID, because the test projects run in parallel
/// against one Orthanc and other tests store and delete the real test series.
/// </summary>
public sealed class OrthancRoundTripTests
{
    private const string SopInstanceUidTag = "00080018";
    private const string SeriesInstanceUidTag = "0020000E";

    [Fact]
    public async Task SegAndReport_OrthancRoundTrip_StoresRerunOnce()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var temporary = new TemporaryFolder();
        SyntheticSeriesFiles files = await SyntheticSeriesWriter.WriteAsync(Exam.Value, Seed, temporary.File("exam"), cancellationToken: cancellationToken);
        (DicomFile seg, DicomFile report) = WriteOutputs(files);
        byte[] segBytes = OutputTestData.ToBytes(seg), reportBytes = OutputTestData.ToBytes(report);
        string study = seg.Dataset.GetString(DicomTags.StudyInstanceUid)!;
        using var http = new HttpClient();
        var client = new PlainDicomWebClient(http);

        try
        {
            byte[][] sources = [.. files.SliceFiles.Select(File.ReadAllBytes)];
            (HttpStatusCode sourceStatus, _) = await client.StoreAsync(sources, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, sourceStatus);

            (HttpStatusCode status, JsonElement stored) = await client.StoreAsync([segBytes, reportBytes], cancellationToken);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.All(StowResponse.Parse(status, stored, [Uid(seg), Uid(report)]).Instances, instance => Assert.Equal(StowInstanceStatus.Stored, instance.Status));

            JsonElement segSeries = Assert.Single(await client.SearchAsync($"studies/{study}/series?Modality=SEG", cancellationToken));
            Assert.Equal(seg.Dataset.GetString(DicomTags.SeriesInstanceUid), PlainDicomWebClient.Value(segSeries, SeriesInstanceUidTag));
            JsonElement reportSeries = Assert.Single(await client.SearchAsync($"studies/{study}/series?Modality=SR", cancellationToken));
            Assert.Equal(report.Dataset.GetString(DicomTags.SeriesInstanceUid), PlainDicomWebClient.Value(reportSeries, SeriesInstanceUidTag));

            Assert.Equal(segBytes, await client.RetrieveAsync(study, SeriesUid(seg), Uid(seg), cancellationToken));
            Assert.Equal(reportBytes, await client.RetrieveAsync(study, SeriesUid(report), Uid(report), cancellationToken));

            // A rerun with the same inputs writes the same instances; storing them again keeps one copy of each.
            (DicomFile segAgain, DicomFile reportAgain) = WriteOutputs(files);
            Assert.Equal(segBytes, OutputTestData.ToBytes(segAgain));
            Assert.Equal(reportBytes, OutputTestData.ToBytes(reportAgain));
            (HttpStatusCode againStatus, JsonElement again) = await client.StoreAsync([OutputTestData.ToBytes(segAgain), OutputTestData.ToBytes(reportAgain)], cancellationToken);
            Assert.Equal(HttpStatusCode.OK, againStatus);
            Assert.All(StowResponse.Parse(againStatus, again, [Uid(segAgain), Uid(reportAgain)]).Instances, instance => Assert.True(instance.IsStored, $"{instance.SopInstanceUid} is {instance.Status}"));

            JsonElement[] instances = await client.SearchAsync($"studies/{study}/instances", cancellationToken);
            Assert.Equal(sources.Length + 2, instances.Length);
            Assert.Single(instances, instance => PlainDicomWebClient.Value(instance, SopInstanceUidTag) == Uid(seg));
        }
        finally
        {
            await OrthancStudies.DeleteAsync(http, study, CancellationToken.None);
        }
    }

    private const int Seed = 4242;

    private static readonly Lazy<SyntheticExam> Exam = new(() => SyntheticExamGenerator.Generate(new SyntheticExamOptions
    {
        Seed = Seed,
        Rows = 128,
        Columns = 128,
        PixelSpacingMm = 1.8,
        SliceCount = 12,
        SliceThicknessMm = 10,
        Lesions = [new LesionSpec(HemorrhageKind.Intraparenchymal, 30, 0.5, 15)],
    }));

    /// <summary>Writes the SEG and SR of the exam from headers read back from its files, as a rerun would.</summary>
    private static (DicomFile Seg, DicomFile Report) WriteOutputs(SyntheticSeriesFiles files)
    {
        var options = new DicomReaderOptions { StopBeforePixelData = true };
        SourceSeries source = SourceSeries.FromHeaders(files.SliceFiles.Select(path => DicomReader.ReadFile(path, options).Dataset));
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        DicomFile seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt);
        var input = new MeasurementReportInput(source, seg.Dataset, 0.87, 3.5, new OperatingPointDecision("balanced", 0.5, true), OutputTestData.Algorithm);
        return (seg, MeasurementReportWriter.Create(input, OutputTestData.CreatedAt));
    }

    private static string Uid(DicomFile file) => file.Dataset.GetString(DicomTags.SopInstanceUid)!;

    private static string SeriesUid(DicomFile file) => file.Dataset.GetString(DicomTags.SeriesInstanceUid)!;
}
