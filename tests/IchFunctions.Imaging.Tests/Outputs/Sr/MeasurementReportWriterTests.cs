using System.Text.Json;
using IchFunctions.Dicom;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Tests.Outputs.Support;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Sr;

public sealed class MeasurementReportWriterTests
{
    /// <summary>Flattens the SR content tree with pydicom into (concept code, value) pairs.</summary>
    private const string FlattenWithPydicom = """
        import json, sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        items = []
        def walk(node):
            for item in node.get("ContentSequence", []):
                code = item.ConceptNameCodeSequence[0].CodeValue if "ConceptNameCodeSequence" in item else ""
                kind = item.ValueType
                if kind == "NUM":
                    value = str(item.MeasuredValueSequence[0].NumericValue) + " " + item.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue
                elif kind == "CODE":
                    value = item.ConceptCodeSequence[0].CodeValue
                elif kind == "TEXT":
                    value = item.TextValue
                elif kind == "UIDREF":
                    value = item.UID
                elif kind == "IMAGE":
                    ref = item.ReferencedSOPSequence[0]
                    value = ref.ReferencedSOPInstanceUID + "#" + str(ref.get("ReferencedSegmentNumber", ""))
                else:
                    value = ""
                items.append([code, value])
                walk(item)
        walk(ds)
        print(json.dumps({"template": ds.ContentTemplateSequence[0].TemplateIdentifier, "root": ds.ConceptNameCodeSequence[0].CodeValue, "items": items}))
        """;

    [Fact]
    public async Task Pydicom_Report_StatesResults()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        byte[] mask = OutputTestData.EllipsoidMask(source.Geometry, 20, 12);
        DicomFile seg = SegmentationWriter.CreateBinary(source, mask, OutputTestData.Algorithm, OutputTestData.CreatedAt);
        var input = new MeasurementReportInput(source, seg.Dataset, 0.93, 12.3456, new OperatingPointDecision("high_sensitivity", 0.4, true), OutputTestData.Algorithm);
        using var temporary = new TemporaryFolder();
        string path = temporary.File("sr.dcm");
        await File.WriteAllBytesAsync(path, OutputTestData.ToBytes(MeasurementReportWriter.Create(input, OutputTestData.CreatedAt)), TestContext.Current.CancellationToken);

        using JsonDocument report = JsonDocument.Parse(await PythonScript.RunAsync(FlattenWithPydicom, [path], TestContext.Current.CancellationToken));
        (string Code, string Value)[] items = [.. report.RootElement.GetProperty("items").EnumerateArray().Select(pair => (pair[0].GetString()!, pair[1].GetString()!))];

        Assert.Equal("1500", report.RootElement.GetProperty("template").GetString());
        Assert.Equal("126000", report.RootElement.GetProperty("root").GetString());
        Assert.Contains(("118565006", "12.346 ml"), items);
        Assert.Contains(("122157", "0.93 1"), items);
        Assert.Contains(("ICH0001", "high_sensitivity"), items);
        Assert.Contains(("ICH0002", "0.4 1"), items);
        Assert.Contains(("1386000", Codes.Present.Value), items);
        Assert.Contains(("121191", seg.Dataset.GetString(DicomTags.SopInstanceUid) + "#1"), items);
        Assert.Contains(("121232", source.SeriesInstanceUid), items);
        Assert.Contains(("111001", OutputTestData.Algorithm.Name), items);
        Assert.Contains(("111003", OutputTestData.Algorithm.Version), items);
        Assert.Contains(items, item => item.Code == "121106" && item.Value.StartsWith("NOT FOR CLINICAL USE", StringComparison.Ordinal));
        Assert.Equal(source.Headers.Count, items.Count(item => item.Code.Length == 0));
    }

    [Fact]
    public void Create_ClinicalModel_OmitsStatement()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        AlgorithmIdentification clinical = OutputTestData.Algorithm with { NotForClinicalUse = false };
        DicomFile seg = SegmentationWriter.CreateBinary(source, new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns], clinical, OutputTestData.CreatedAt);

        DicomDataset report = MeasurementReportWriter.Create(new MeasurementReportInput(source, seg.Dataset, 0.1, 0, new OperatingPointDecision("balanced", 0.5, false), clinical), OutputTestData.CreatedAt).Dataset;

        Assert.DoesNotContain("NOT FOR CLINICAL USE", report.GetString(new DicomTag(0x0008, 0x103E)), StringComparison.Ordinal);
        Assert.Equal(9, report.FindSequence(new DicomTag(0x0040, 0xA730))!.Items.Count);
    }

    [Fact]
    public void Create_ProbabilityAboveOne_Throws()
    {
        SourceSeries source = OutputTestData.ReadSource(OutputTestData.PhilipsPhantom);
        DicomFile seg = SegmentationWriter.CreateBinary(source, new byte[source.Headers.Count * source.Geometry.Rows * source.Geometry.Columns], OutputTestData.Algorithm, OutputTestData.CreatedAt);
        var input = new MeasurementReportInput(source, seg.Dataset, 1.5, 0, new OperatingPointDecision("balanced", 0.5, true), OutputTestData.Algorithm);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => MeasurementReportWriter.Create(input, OutputTestData.CreatedAt));

        Assert.Contains("1.5", error.Message, StringComparison.Ordinal);
    }
}
