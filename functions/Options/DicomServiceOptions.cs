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
    /// <c>https://contoso-dicom.dicom.azurehealthcareapis.com/v2/</c>; any standard DICOMweb root works too.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Data partition name (DICOM service with data partitions enabled); empty for none.</summary>
    public string? DataPartition { get; set; }

    /// <summary>Scope requested for bearer tokens; empty sends no token (a local DICOMweb server).</summary>
    public string? TokenScope { get; set; } = AzureDicomTokenScope;
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

        return failures.ToResult();
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
