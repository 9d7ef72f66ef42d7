using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Options;

/// <summary>
/// Collects validation failures for one settings section; each message names the app setting
/// (<c>Section__Property</c> as an environment variable, <c>Section:Property</c> in appsettings.json), the offending value where it is not secret, and what to set instead.
/// </summary>
internal sealed class OptionsFailures(string section)
{
    private readonly List<string> _messages = [];

    /// <summary>The environment variable name of a property, as the container app sets it.</summary>
    public string Key(string property) => $"{section}__{property}";

    public void Add(string property, string problem) =>
        _messages.Add($"Setting {Key(property)} ({section}:{property} in appsettings.json) {problem}");

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

    public ValidateOptionsResult ToResult() =>
        _messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

    public static bool IsSet([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Uri? value) =>
        value is not null && value.OriginalString.Length > 0;

}
