namespace IchFunctions.Inference.Options;

/// <summary>
/// An options class bound from one configuration section. In appsettings.json its keys nest under the
/// section. As environment variables, which the container app sets, they are named
/// <c>Section__Property</c>, because .NET configuration reads the double underscore as the section separator.
/// </summary>
public interface ISettingsSection
{
    /// <summary>The configuration section name, which is also the environment variable prefix.</summary>
    static abstract string SectionName { get; }
}
