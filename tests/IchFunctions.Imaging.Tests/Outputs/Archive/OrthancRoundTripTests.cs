using System.Net;
using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Archive;

/// <summary>
/// Stores the SEG and SR of the Philips phantom series in Orthanc next to their source, finds and retrieves
/// them, and stores a rerun's outputs again.
/// </summary>
public sealed class OrthancRoundTripTests
{
    private const string SopInstanceUidTag = "00080018";
    private const string SeriesInstanceUidTag = "0020000E";

    [Fact]
    public async Task SegAndReport_OrthancRoundTrip_StoresRerunOnce()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string folder = TestData.Require(OutputTestData.PhilipsPhantom);
        (DicomFile seg, DicomFile report) = WriteOutputs();
        byte[] segBytes = OutputTestData.ToBytes(seg), reportBytes = OutputTestData.ToBytes(report);
        string study = seg.Dataset.GetString(DicomTags.StudyInstanceUid)!;
        using var http = new HttpClient();
        var client = new DicomWebClient(http);

        try
        {
            byte[][] sources = [.. Directory.GetFiles(folder).Select(File.ReadAllBytes)];
            (HttpStatusCode sourceStatus, _) = await client.StoreAsync(sources, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, sourceStatus);

            (HttpStatusCode status, JsonElement stored) = await client.StoreAsync([segBytes, reportBytes], cancellationToken);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(StowInstanceStatus.Stored, StowOutcome.Classify(stored, Uid(seg)).Status);
            Assert.Equal(StowInstanceStatus.Stored, StowOutcome.Classify(stored, Uid(report)).Status);

            JsonElement segSeries = Assert.Single(await client.SearchAsync($"studies/{study}/series?Modality=SEG", cancellationToken));
            Assert.Equal(seg.Dataset.GetString(DicomTags.SeriesInstanceUid), DicomWebClient.Value(segSeries, SeriesInstanceUidTag));
            JsonElement reportSeries = Assert.Single(await client.SearchAsync($"studies/{study}/series?Modality=SR", cancellationToken));
            Assert.Equal(report.Dataset.GetString(DicomTags.SeriesInstanceUid), DicomWebClient.Value(reportSeries, SeriesInstanceUidTag));

            Assert.Equal(segBytes, await client.RetrieveAsync(study, SeriesUid(seg), Uid(seg), cancellationToken));
            Assert.Equal(reportBytes, await client.RetrieveAsync(study, SeriesUid(report), Uid(report), cancellationToken));

            // A rerun with the same inputs writes the same instances; storing them again keeps one copy of each.
            (DicomFile segAgain, DicomFile reportAgain) = WriteOutputs();
            Assert.Equal(segBytes, OutputTestData.ToBytes(segAgain));
            Assert.Equal(reportBytes, OutputTestData.ToBytes(reportAgain));
            (HttpStatusCode againStatus, JsonElement again) = await client.StoreAsync([OutputTestData.ToBytes(segAgain), OutputTestData.ToBytes(reportAgain)], cancellationToken);
            Assert.Equal(HttpStatusCode.OK, againStatus);
            Assert.Contains(StowOutcome.Classify(again, Uid(segAgain)).Status, new[] { StowInstanceStatus.Stored, StowInstanceStatus.AlreadyStored });
            Assert.Contains(StowOutcome.Classify(again, Uid(reportAgain)).Status, new[] { StowInstanceStatus.Stored, StowInstanceStatus.AlreadyStored });

            JsonElement[] instances = await client.SearchAsync($"studies/{study}/instances", cancellationToken);
            Assert.Equal(sources.Length + 2, instances.Length);
            Assert.Single(instances, instance => DicomWebClient.Value(instance, SopInstanceUidTag) == Uid(seg));
        }
        finally
        {
            await OrthancStudies.DeleteAsync(http, study, CancellationToken.None);
        }
    }

    private static (DicomFile Seg, DicomFile Report) WriteOutputs()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        DicomFile seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt);
        double volume = Enumerable.Range(0, mask.Length).Where(i => mask[i] != 0).Sum(i => source.Geometry.VoxelVolumeMl(i / (source.Geometry.Rows * source.Geometry.Columns)));
        var input = new MeasurementReportInput(source, seg.Dataset, 0.87, volume, new OperatingPointDecision("balanced", 0.5, true), OutputTestData.Algorithm);
        return (seg, MeasurementReportWriter.Create(input, OutputTestData.CreatedAt));
    }

    private static string Uid(DicomFile file) => file.Dataset.GetString(DicomTags.SopInstanceUid)!;

    private static string SeriesUid(DicomFile file) => file.Dataset.GetString(DicomTags.SeriesInstanceUid)!;
}
