using System.Text.Json;
using IchFunctions.Functions.Tests.Support;

namespace IchFunctions.Functions.Tests.Triggers;

/// <summary>The trigger functions as the generated functions.metadata declares them to the Functions host.</summary>
public sealed class TriggerMetadataTests
{
    [Fact]
    public void DicomEvents_IsQueueTriggerOnEventsQueueSetting()
    {
        using JsonDocument metadata = FunctionMetadataFile.Read();

        JsonElement trigger = FunctionMetadataFile.Trigger(metadata, "DicomEvents");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%Storage:DicomEventsQueue%", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal(["durableClient"], FunctionMetadataFile.OtherBindingTypes(metadata, "DicomEvents"));
    }

    [Theory]
    [InlineData("ScoreStart", "post", "score")]
    [InlineData("ScoreStatus", "get", "score/{id}")]
    public void ScoreEndpoints_AreHttpTriggersWithFunctionKey(string function, string method, string route)
    {
        using JsonDocument metadata = FunctionMetadataFile.Read();

        JsonElement trigger = FunctionMetadataFile.Trigger(metadata, function);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(["durableClient"], FunctionMetadataFile.OtherBindingTypes(metadata, function));
    }

    [Fact]
    public void IncomingBlob_IsEventGridBlobTriggerOnIncomingSetting()
    {
        using JsonDocument metadata = FunctionMetadataFile.Read();

        JsonElement trigger = FunctionMetadataFile.Trigger(metadata, "IncomingBlob");

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%Storage:IncomingContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal(["durableClient"], FunctionMetadataFile.OtherBindingTypes(metadata, "IncomingBlob"));
    }
}
