namespace IchFunctions.Functions.Options;

/// <summary>
/// An options class bound from one configuration section. In Azure and in local.settings.json the
/// section's keys are app settings named <c>Section__Property</c>; .NET configuration reads the double
/// underscore as the section separator.
/// </summary>
public interface ISettingsSection
{
    /// <summary>The configuration section name, which is also the app setting prefix.</summary>
    static abstract string SectionName { get; }
}
