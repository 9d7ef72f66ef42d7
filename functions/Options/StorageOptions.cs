using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>
/// Blob containers and queues in the app's storage account (app settings <c>Storage__*</c>). The account
/// itself is the <c>AzureWebJobsStorage</c> connection, reached with the app's managed identity in Azure.
/// </summary>
public sealed class StorageOptions : ISettingsSection
{
    public static string SectionName => "Storage";

    /// <summary>Container watched for uploaded exams (.zip or .dcm).</summary>
    public string IncomingContainer { get; set; } = "incoming";

    /// <summary>Container for reports, key images and results of uploaded exams.</summary>
    public string ResultsContainer { get; set; } = "results";

    /// <summary>Container for intermediate slice chunks and masks, deleted when an orchestration ends.</summary>
    public string WorkContainer { get; set; } = "work";

    /// <summary>Container holding the ONNX models.</summary>
    public string ModelsContainer { get; set; } = "models";

    /// <summary>Queue that Event Grid fills with DICOM service DicomImageCreated events.</summary>
    public string DicomEventsQueue { get; set; } = "dicom-events";

    /// <summary>Queue that receives one message per exam positive at the operating point.</summary>
    public string AlertsQueue { get; set; } = "alerts";
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new OptionsFailures(StorageOptions.SectionName);
        failures.CheckStorageName(nameof(options.IncomingContainer), options.IncomingContainer);
        failures.CheckStorageName(nameof(options.ResultsContainer), options.ResultsContainer);
        failures.CheckStorageName(nameof(options.WorkContainer), options.WorkContainer);
        failures.CheckStorageName(nameof(options.ModelsContainer), options.ModelsContainer);
        failures.CheckStorageName(nameof(options.DicomEventsQueue), options.DicomEventsQueue);
        failures.CheckStorageName(nameof(options.AlertsQueue), options.AlertsQueue);

        (string Property, string Name)[] containers =
        [
            (nameof(options.IncomingContainer), options.IncomingContainer),
            (nameof(options.ResultsContainer), options.ResultsContainer),
            (nameof(options.WorkContainer), options.WorkContainer),
            (nameof(options.ModelsContainer), options.ModelsContainer),
        ];
        for (int later = 1; later < containers.Length; later++)
        {
            for (int earlier = 0; earlier < later; earlier++)
            {
                if (string.Equals(containers[earlier].Name, containers[later].Name, StringComparison.Ordinal))
                {
                    failures.Add(containers[later].Property, $"names the same container '{containers[later].Name}' as "
                        + $"{failures.Key(containers[earlier].Property)}: each needs its own container, because work blobs are deleted after each run.");
                }
            }
        }

        return failures.ToResult();
    }
}
