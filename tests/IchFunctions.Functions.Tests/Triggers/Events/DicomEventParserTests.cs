using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Events;

namespace IchFunctions.Functions.Tests.Triggers.Events;

public sealed class DicomEventParserTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.1";
    private const string Series = "1.2.826.0.1.3680043.8.498.1.2";
    private const string Sop = "1.2.826.0.1.3680043.8.498.1.2.3";
    private static readonly DateTimeOffset Time = new(2026, 12, 4, 10, 30, 15, TimeSpan.Zero);

    public static TheoryData<EventSchema, bool> Formats => new()
    {
        { EventSchema.EventGrid, false },
        { EventSchema.EventGrid, true },
        { EventSchema.CloudEvents, false },
        { EventSchema.CloudEvents, true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parse_EachSchemaAndEncoding_ReadsTheSameEvent(EventSchema schema, bool base64)
    {
        string message = DicomEventMessages.ImageCreated(schema, base64, Study, Series, Sop, Time, eventId: "event-1");

        DicomImageCreated parsed = Assert.Single(DicomEventParser.Parse(message, out IReadOnlyList<string> others));

        Assert.Empty(others);
        Assert.Equal(new DicomImageCreated("event-1", null, Study, Series, Sop, Time), parsed);
    }

    [Fact]
    public void Parse_NamedPartition_IsKept()
    {
        string message = DicomEventMessages.ImageCreated(EventSchema.EventGrid, false, Study, Series, Sop, Time, partition: "radiology");

        Assert.Equal("radiology", Assert.Single(DicomEventParser.Parse(message, out _)).DataPartition);
    }

    [Fact]
    public void Parse_ArrayOfEvents_ReadsEach()
    {
        string first = DicomEventMessages.ImageCreated(EventSchema.CloudEvents, false, Study, Series, Sop, Time);
        string second = DicomEventMessages.ImageCreated(EventSchema.CloudEvents, false, Study, Series, Sop + ".4", Time);

        Assert.Equal(2, DicomEventParser.Parse($"[{first},{second}]", out _).Count);
    }

    [Fact]
    public void Parse_OtherEventType_IsReportedNotParsed()
    {
        string message = DicomEventMessages.ImageCreated(EventSchema.EventGrid, false, Study, Series, Sop, Time)
            .Replace("DicomImageCreated", "DicomImageDeleted", StringComparison.Ordinal);

        Assert.Empty(DicomEventParser.Parse(message, out IReadOnlyList<string> others));
        Assert.Equal(["Microsoft.HealthcareApis.DicomImageDeleted"], others);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not an event", "neither JSON nor base64")]
    [InlineData("bm90IGpzb24=", "not JSON")]
    [InlineData("{\"eventType\": ", "not valid JSON")]
    [InlineData("[]", "empty array")]
    [InlineData("42", "neither JSON nor base64")]
    [InlineData("{\"hello\": 1}", "Event Grid schema")]
    public void Parse_Malformed_ThrowsWithReason(string message, string reason)
    {
        var error = Assert.Throws<MalformedEventException>(() => DicomEventParser.Parse(message, out _));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidStudyUid_NamesTheField()
    {
        string message = DicomEventMessages.ImageCreated(EventSchema.EventGrid, false, "1.2.03x", Series, Sop, Time, eventId: "event-7");

        var error = Assert.Throws<MalformedEventException>(() => DicomEventParser.Parse(message, out _));

        Assert.Contains("Event 'event-7' has data.imageStudyInstanceUid '1.2.03x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingSopUid_NamesTheField()
    {
        string message = DicomEventMessages.ImageCreated(EventSchema.CloudEvents, false, Study, Series, Sop, Time, eventId: "event-8")
            .Replace("imageSopInstanceUid", "somethingElse", StringComparison.Ordinal);

        var error = Assert.Throws<MalformedEventException>(() => DicomEventParser.Parse(message, out _));

        Assert.Contains("has no data.imageSopInstanceUid", error.Message, StringComparison.Ordinal);
    }
}
