using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Options;

/// <summary>
/// Collects validation failures for one settings section; each message names the app setting
/// (<c>Section__Property</c>), the offending value where it is not secret, and what to set instead.
/// </summary>
internal sealed partial class OptionsFailures(string section)
{
    private readonly List<string> _messages = [];

    /// <summary>The app setting name of a property, as set in Azure and in local.settings.json.</summary>
    public string Key(string property) => $"{section}__{property}";

    public void Add(string property, string problem) => _messages.Add($"App setting {Key(property)} {problem}");

    public void RequireText(string property, string? value, string hint)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(property, $"is missing: {hint}");
        }
    }

    public void RequireRange(string property, int value, int minimum, int maximum)
    {
        if (value < minimum || value > maximum)
        {
            Add(property, $"is {value}, outside the allowed range {minimum} to {maximum}.");
        }
    }

    /// <summary>
    /// Checks an absolute http(s) URL. Plain http is accepted only for loopback hosts, so that local
    /// servers work and nothing in Azure sends tokens or pixel data unencrypted.
    /// </summary>
    public void CheckUrl(string property, Uri? value)
    {
        if (!IsSet(value))
        {
            return;
        }

        if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
        {
            Add(property, $"is '{value.OriginalString}', which is not an absolute http or https URL.");
        }
        else if (value.Scheme == Uri.UriSchemeHttp && !value.IsLoopback)
        {
            Add(property, $"is '{value.OriginalString}': plain http is allowed only for 127.0.0.1 or localhost; use https.");
        }
    }

    /// <summary>
    /// Checks a blob container or queue name against the Azure Storage rules: 3 to 63 lowercase letters,
    /// digits and single hyphens, starting and ending with a letter or digit.
    /// </summary>
    public void CheckStorageName(string property, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(property, "is missing: set it to a blob container or queue name.");
        }
        else if (value.Length is < 3 or > 63 || !StorageNamePattern().IsMatch(value))
        {
            Add(property, $"is '{value}', which is not a valid Azure Storage container or queue name "
                + "(3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
        }
    }

    public ValidateOptionsResult ToResult() =>
        _messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

    public static bool IsSet([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Uri? value) =>
        value is not null && value.OriginalString.Length > 0;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageNamePattern();
}
