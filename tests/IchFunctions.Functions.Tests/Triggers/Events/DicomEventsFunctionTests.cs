using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Functions.Triggers.Events;
using IchFunctions.Functions.Triggers.Scheduling;
using Microsoft.DurableTask.Client;

namespace IchFunctions.Functions.Tests.Triggers.Events;

/// <summary>
/// The queue trigger with the in-process Durable Task host, Azurite and Orthanc. ScoreStudy is replaced
/// by <see cref="QuietPeriodProbe"/>, which counts the InstanceArrived events its instance receives.
/// </summary>
public sealed class DicomEventsFunctionTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GeSeriesEvents_ShuffledWithDuplicates_StartOneInstance()
    {
        string[] files = Directory.GetFiles(StoredStudy.GeHeadSeriesFolder, "*.dcm").Order(StringComparer.Ordinal).ToArray();
        await using StoredStudy study = await StoredStudy.CreateAsync(files, Cancellation);
        await study.StoreAsync(Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);

        List<string> messages = AllFormatsWithDuplicates(study, duplicates: 8, seed: 20261204);
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Cancellation },
            async (text, token) => await harness.Create<DicomEventsFunction>().RunAsync(QueueMessageOf(text), harness.Client, token));

        string instanceId = ScoreStudyNames.InstanceId(null, study.StudyInstanceUid, TriggerHarness.ModelVersion);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        OrchestrationMetadata completed = await harness.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        List<OrchestrationMetadata> all = await harness.AllInstancesAsync(Cancellation);

        Assert.Equal(36, messages.Count);
        Assert.Equal(instanceId, Assert.Single(all).InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal(messages.Count - 1, completed.ReadOutputAs<int>());
        ScoreStudyRequest request = completed.ReadInputAs<ScoreStudyRequest>()!;
        Assert.Equal(study.StudyInstanceUid, request.StudyInstanceUid);
        Assert.Equal(DicomEventProcessor.TriggerName, request.Trigger);
        Assert.Equal(harness.Scoring.QuietPeriodSeconds, request.QuietPeriodSeconds);
        Assert.Null(request.DataPartition);
    }

    [Fact]
    public async Task SegEvent_StartsNothing()
    {
        string seg = Path.Combine(Testing.TestData.Require("seg/dcmqi"), "liver.dcm");
        await using StoredStudy study = await StoredStudy.CreateAsync([seg], Cancellation);
        await study.StoreAsync(Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        (string series, string sop, _) = study.Instances[0];
        var imageCreated = new DicomImageCreated("event-seg", null, study.StudyInstanceUid, series, sop, DateTimeOffset.UtcNow);

        (DicomEventOutcome outcome, ScheduleDecision? decision) = await harness.Processor.ProcessAsync(harness.Client, imageCreated, Cancellation);

        Assert.Equal(DicomEventOutcome.NotCt, outcome);
        Assert.Null(decision);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task UnknownSeriesEvent_StartsNothing()
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        var imageCreated = new DicomImageCreated("event-gone", null, "1.2.3.999", "1.2.3.999.1", "1.2.3.999.1.1", DateTimeOffset.UtcNow);

        (DicomEventOutcome outcome, _) = await harness.Processor.ProcessAsync(harness.Client, imageCreated, Cancellation);

        Assert.Equal(DicomEventOutcome.SeriesNotFound, outcome);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Theory]
    [InlineData("this is not an event")]
    [InlineData("{\"id\":\"e1\",\"eventType\":\"Microsoft.HealthcareApis.DicomImageCreated\",\"subject\":\"s\",\"dataVersion\":\"1\",\"eventTime\":\"2026-12-04T10:00:00Z\",\"data\":{\"imageStudyInstanceUid\":\"1.2.03\",\"imageSeriesInstanceUid\":\"1.2\",\"imageSopInstanceUid\":\"1.2.3\"}}")]
    public async Task MalformedMessage_LandsInPoisonQueue(string text)
    {
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);

        await harness.Create<DicomEventsFunction>().RunAsync(QueueMessageOf(text, "message-1"), harness.Client, Cancellation);

        QueueClient poison = harness.Queues.GetQueueClient(harness.Storage.DicomEventsQueue + "-poison");
        QueueMessage[] received = (await poison.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: Cancellation)).Value;
        Assert.Equal(text, Assert.Single(received).Body.ToString());
        var logged = Assert.Single(harness.Logs.Entries, entry => entry.EventId.Id == 1001);
        Assert.Contains("message-1", logged.Message, StringComparison.Ordinal);
        Assert.Contains(harness.Storage.DicomEventsQueue + "-poison", logged.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.AllInstancesAsync(Cancellation));
    }

    [Fact]
    public async Task LateCtInstance_AfterCompletion_StartsNewRun()
    {
        string[] files = Directory.GetFiles(StoredStudy.GeHeadSeriesFolder, "*.dcm").Order(StringComparer.Ordinal).Take(2).ToArray();
        await using StoredStudy study = await StoredStudy.CreateAsync(files, Cancellation);
        await study.StoreAsync(Cancellation);
        await using TriggerHarness harness = await TriggerHarness.StartAsync(QuietPeriodProbe.Register, realModel: false, Cancellation);
        (string series, string firstSop, _) = study.Instances[0];
        string instanceId = ScoreStudyNames.InstanceId(null, study.StudyInstanceUid, TriggerHarness.ModelVersion);

        DateTimeOffset storedBeforeRun = DateTimeOffset.UtcNow;
        var first = new DicomImageCreated("e1", null, study.StudyInstanceUid, series, firstSop, storedBeforeRun);
        Assert.Equal(ScheduleDecision.Started, (await harness.Processor.ProcessAsync(harness.Client, first, Cancellation)).Decision);
        OrchestrationMetadata firstRun = await harness.Client.WaitForInstanceCompletionAsync(instanceId, Cancellation);

        ScheduleDecision? redelivered = (await harness.Processor.ProcessAsync(harness.Client, first, Cancellation)).Decision;
        var late = new DicomImageCreated("e2", null, study.StudyInstanceUid, series, study.Instances[1].SopInstanceUid, firstRun.LastUpdatedAt.AddSeconds(1));
        ScheduleDecision? lateDecision = (await harness.Processor.ProcessAsync(harness.Client, late, Cancellation)).Decision;
        OrchestrationMetadata secondRun = await harness.Client.WaitForInstanceCompletionAsync(instanceId, Cancellation);

        Assert.Equal(ScheduleDecision.AlreadyEnded, redelivered);
        Assert.Equal(ScheduleDecision.Restarted, lateDecision);
        Assert.True(secondRun.CreatedAt > firstRun.CreatedAt, $"second run created {secondRun.CreatedAt:O}, first {firstRun.CreatedAt:O}");
    }

    /// <summary>
    /// One message per instance, cycling through both schemas and both encodings, plus
    /// <paramref name="duplicates"/> redeliveries of random events, in a seeded random order.
    /// </summary>
    private static List<string> AllFormatsWithDuplicates(StoredStudy study, int duplicates, int seed)
    {
        var random = new Random(seed);
        (EventSchema Schema, bool Base64)[] formats = [(EventSchema.EventGrid, false), (EventSchema.EventGrid, true), (EventSchema.CloudEvents, false), (EventSchema.CloudEvents, true)];
        var messages = new List<string>();
        DateTimeOffset time = DateTimeOffset.UtcNow;
        for (int index = 0; index < study.Instances.Count; index++)
        {
            (string series, string sop, _) = study.Instances[index];
            (EventSchema schema, bool base64) = formats[index % formats.Length];
            messages.Add(DicomEventMessages.ImageCreated(schema, base64, study.StudyInstanceUid, series, sop, time.AddMilliseconds(index), sequence: index + 1));
        }

        for (int copy = 0; copy < duplicates; copy++)
        {
            messages.Add(messages[random.Next(study.Instances.Count)]);
        }

        return messages.OrderBy(_ => random.Next()).ToList();
    }

    private static QueueMessage QueueMessageOf(string text, string? id = null) =>
        QueuesModelFactory.QueueMessage(id ?? Guid.NewGuid().ToString(), "receipt", text, dequeueCount: 1);
}
