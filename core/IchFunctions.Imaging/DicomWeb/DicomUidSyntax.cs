using System.Text.RegularExpressions;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>Checks UID syntax (PS3.5 section 9.1) before a UID goes into a URL.</summary>
public static partial class DicomUidSyntax
{
    public static bool IsValid(string? uid) => uid is { Length: > 0 and <= 64 } && UidPattern().IsMatch(uid);

    /// <summary>Throws <see cref="ArgumentException"/> naming the value and the rule when <paramref name="uid"/> is not a UID.</summary>
    public static void Require(string? uid, string name)
    {
        if (!IsValid(uid))
        {
            throw new ArgumentException($"{name} '{uid}' is not a valid UID: digits in dot-separated components without leading zeros, at most 64 characters.");
        }
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")]
    private static partial Regex UidPattern();
}
