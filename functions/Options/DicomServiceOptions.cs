using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>The DICOMweb server the app reads studies from and writes results to (app settings <c>DicomService__*</c>).</summary>
public sealed class DicomServiceOptions : ISettingsSection
{
    public static string SectionName => "DicomService";

    /// <summary>Default scope of Microsoft Entra tokens for the Azure Health Data Services DICOM service.</summary>
    public const string AzureDicomTokenScope = "https://dicom.healthcareapis.azure.com/.default";

    /// <summary>
    /// Base URL of the DICOMweb API. For the Azure DICOM service it includes the API version, for example
    /// <c>https://contoso-dicom.dicom.azurehealthcareapis.com/v2/</c>. Any standard DICOMweb root works too.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Data partition name when the DICOM service has data partitions enabled, or empty for none.</summary>
    public string? DataPartition { get; set; }

    /// <summary>Scope requested for bearer tokens. Empty sends no token, for a local DICOMweb server.</summary>
    public string? TokenScope { get; set; } = AzureDicomTokenScope;

    /// <summary>
    /// Client ID of the user-assigned managed identity that requests tokens. Empty uses
    /// DefaultAzureCredential: the system-assigned identity in Azure, developer credentials locally.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Retries after a transient failure (408, 429, 5xx, connection failure, attempt timeout); 0 disables retries.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry in milliseconds; it doubles on each retry, with jitter, unless Retry-After sets it.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 1000;

    /// <summary>Time limit of one HTTP attempt in seconds; an attempt that runs out is retried.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 100;

    /// <summary>Time limit of a request including all retries and their delays, in seconds.</summary>
    public int TotalTimeoutSeconds { get; set; } = 600;

    /// <summary>WADO-RS instance requests one preprocessing activity keeps in flight.</summary>
    public int MaxConcurrentRetrievals { get; set; } = 8;
}

internal sealed partial class DicomServiceOptionsValidator : IValidateOptions<DicomServiceOptions>
{
    private const string AzureDicomHostSuffix = ".dicom.azurehealthcareapis.com";

    public ValidateOptionsResult Validate(string? name, DicomServiceOptions options)
    {
        var failures = new OptionsFailures(DicomServiceOptions.SectionName);
        if (!OptionsFailures.IsSet(options.BaseUrl))
        {
            failures.Add(nameof(options.BaseUrl), "is missing: set it to the DICOMweb base URL, for example "
                + "https://contoso-dicom.dicom.azurehealthcareapis.com/v2/.");
        }
        else
        {
            failures.CheckUrl(nameof(options.BaseUrl), options.BaseUrl);
            CheckAzureApiVersion(failures, options.BaseUrl);
        }

        // Partition names in the DICOM service: up to 64 characters from letters, digits, '.', '-' and '_'.
        if (!string.IsNullOrEmpty(options.DataPartition) && !PartitionNamePattern().IsMatch(options.DataPartition))
        {
            failures.Add(nameof(options.DataPartition), $"is '{options.DataPartition}', which is not a valid partition name "
                + "(1 to 64 letters, digits, '.', '-' or '_'); leave it empty when data partitions are not used.");
        }

        if (options.TokenScope is { Length: > 0 } scope && !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            failures.Add(nameof(options.TokenScope), $"is '{scope}', which is not a .default scope; "
                + $"use {DicomServiceOptions.AzureDicomTokenScope}.");
        }

        if (!string.IsNullOrEmpty(options.ManagedIdentityClientId) && !Guid.TryParse(options.ManagedIdentityClientId, out _))
        {
            failures.Add(nameof(options.ManagedIdentityClientId), $"is '{options.ManagedIdentityClientId}', which is not a client ID (a GUID); "
                + "set the user-assigned identity's client ID, or leave it empty for DefaultAzureCredential.");
        }

        CheckResilience(failures, options);
        return failures.ToResult();
    }

    private static void CheckResilience(OptionsFailures failures, DicomServiceOptions options)
    {
        failures.RequireRange(nameof(options.MaxRetryAttempts), options.MaxRetryAttempts, 0, 10);
        failures.RequireRange(nameof(options.RetryBaseDelayMilliseconds), options.RetryBaseDelayMilliseconds, 10, 60_000);
        failures.RequireRange(nameof(options.AttemptTimeoutSeconds), options.AttemptTimeoutSeconds, 1, 600);
        failures.RequireRange(nameof(options.TotalTimeoutSeconds), options.TotalTimeoutSeconds, 1, 3600);
        failures.RequireRange(nameof(options.MaxConcurrentRetrievals), options.MaxConcurrentRetrievals, 1, 64);
        if (options.TotalTimeoutSeconds < options.AttemptTimeoutSeconds)
        {
            failures.Add(nameof(options.TotalTimeoutSeconds), $"is {options.TotalTimeoutSeconds}, shorter than "
                + $"{failures.Key(nameof(options.AttemptTimeoutSeconds))} ({options.AttemptTimeoutSeconds}); make it at least as long.");
        }
    }

    private static void CheckAzureApiVersion(OptionsFailures failures, Uri baseUrl)
    {
        if (!baseUrl.IsAbsoluteUri || !baseUrl.Host.EndsWith(AzureDicomHostSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (baseUrl.AbsolutePath.TrimEnd('/') != "/v2")
        {
            failures.Add(nameof(DicomServiceOptions.BaseUrl), $"is '{baseUrl}', which lacks the API version: "
                + "the Azure DICOM service URL must end in /v2/.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionNamePattern();
}
