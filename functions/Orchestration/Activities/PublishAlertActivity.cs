using System.Net.Http.Json;
using System.Text.Json;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// The message announcing an exam positive at the operating point, on the alerts queue and to the webhook.
/// It names UIDs and results only, never patient attributes. <see cref="AlertId"/> is the same on every
/// delivery for one run, so consumers can drop the duplicates a retry or rerun sends.
/// </summary>
public sealed record HemorrhageAlert(
    string AlertId, string StudyInstanceUid, string? DataPartition, string? SeriesInstanceUid, double ExamProbability, string? OperatingPoint,
    double? HemorrhageVolumeMl, string? SegmentationSopInstanceUid, string? ReportSrSopInstanceUid, string? ReportBlob, string? ModelName, string? ModelVersion);

/// <summary>Publishes the alert for a positive exam to the alerts queue and, when one is configured, the webhook.</summary>
public sealed class PublishAlertActivity(ScoringStorage storage, HttpClient http, IOptions<AlertOptions> options, ILogger<PublishAlertActivity> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Function(ScoreStudyActivityNames.PublishAlert)]
    public async Task<bool> RunAsync([ActivityTrigger] PublishAlertInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ScoreStudyOutcome outcome = input.Outcome;
        var alert = new HemorrhageAlert(
            $"{input.InstanceId}/{outcome.ModelVersion}", input.StudyInstanceUid, input.DataPartition, outcome.SeriesInstanceUid, outcome.ExamProbability ?? 0,
            outcome.OperatingPoint, outcome.HemorrhageVolumeMl, outcome.SegmentationSopInstanceUid, outcome.ReportSrSopInstanceUid, outcome.ReportBlob,
            outcome.ModelName, outcome.ModelVersion);

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await storage.Alerts.SendMessageAsync(JsonSerializer.Serialize(alert, Json), cancellationToken).ConfigureAwait(false);

        Uri? webhook = options.Value.WebhookUrl;
        bool posted = webhook is not null && webhook.OriginalString.Length > 0;
        if (posted)
        {
            using HttpResponseMessage response = await http.PostAsJsonAsync(webhook, alert, Json, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        Logs.AlertPublished(logger, input.InstanceId, storage.Alerts.Name, posted);
        return true;
    }
}
