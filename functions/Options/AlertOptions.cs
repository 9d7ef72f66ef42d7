using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>Where positive exams are announced besides the alerts queue (app settings <c>Alerts__*</c>).</summary>
public sealed class AlertOptions : ISettingsSection
{
    public static string SectionName => "Alerts";

    /// <summary>Optional https URL that receives a JSON POST per positive exam; empty for none.</summary>
    public Uri? WebhookUrl { get; set; }
}

internal sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var failures = new OptionsFailures(AlertOptions.SectionName);
        failures.CheckUrl(nameof(options.WebhookUrl), options.WebhookUrl);
        return failures.ToResult();
    }
}
