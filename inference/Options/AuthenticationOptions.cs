using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Options;

/// <summary>
/// Who may call the inference routes (settings <c>Authentication__*</c>); health routes stay open.
/// Microsoft Entra ID bearer tokens in Azure, or a shared key for local use; at least one must be set.
/// </summary>
public sealed class AuthenticationOptions : ISettingsSection
{
    public static string SectionName => "Authentication";

    /// <summary>Accepted token audience: the application ID URI or client ID of the service's Entra app registration.</summary>
    public string? Audience { get; set; }

    /// <summary>Microsoft Entra tenant ID (a GUID) whose tokens are accepted; the issuers are derived from it.</summary>
    public string? TenantId { get; set; }

    /// <summary>Shared key expected in the <c>Authorization: Bearer</c> header, for local use only; at least 32 characters.</summary>
    public string? SharedKey { get; set; }

    /// <summary>True when Entra ID tokens are validated.</summary>
    public bool UsesEntraId => !string.IsNullOrWhiteSpace(Audience);
}

internal sealed class AuthenticationOptionsValidator : IValidateOptions<AuthenticationOptions>
{
    public const int MinSharedKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, AuthenticationOptions options)
    {
        var failures = new OptionsFailures(AuthenticationOptions.SectionName);
        bool hasSharedKey = !string.IsNullOrEmpty(options.SharedKey);
        if (!options.UsesEntraId && !hasSharedKey)
        {
            failures.Add(nameof(options.Audience), $"and {failures.Key(nameof(options.SharedKey))} are both missing: "
                + "set the Entra audience and tenant, or a shared key for local use; the service never runs without authentication.");
        }

        if (options.UsesEntraId && !Guid.TryParse(options.TenantId, out _))
        {
            failures.Add(nameof(options.TenantId), $"is '{options.TenantId}', which is not a tenant ID (a GUID); "
                + $"it is required when {failures.Key(nameof(options.Audience))} is set.");
        }

        // The key's value is a secret, so only its length appears in the message.
        if (hasSharedKey && options.SharedKey!.Length < MinSharedKeyLength)
        {
            failures.Add(nameof(options.SharedKey), $"has {options.SharedKey.Length} characters; use at least {MinSharedKeyLength}.");
        }

        return failures.ToResult();
    }
}
