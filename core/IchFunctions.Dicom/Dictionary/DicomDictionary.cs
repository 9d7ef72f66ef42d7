using System.Collections.Frozen;

namespace IchFunctions.Dicom.Dictionary;

/// <summary>
/// One data dictionary entry (DICOM PS3.6). <see cref="ValueRepresentation"/> is the VR as the standard
/// writes it, including context-dependent ones such as "US or SS" and "OB or OW"; it is empty for the item
/// and delimitation tags, which have no VR.
/// </summary>
public sealed record DicomDictionaryEntry(DicomTag Tag, string ValueRepresentation, string ValueMultiplicity, string Keyword, string Name, bool IsRetired)
{
    /// <summary>
    /// The VR to assume when the encoding does not state one (Implicit VR Little Endian): the first of the
    /// alternatives, except that OB or OW is read as OW as PS3.5 section A.1 requires; UN when there is no VR.
    /// </summary>
    public DicomVR ImplicitVR => ValueRepresentation.Length < 2 ? DicomVR.UN
        : ValueRepresentation.StartsWith("OB or OW", StringComparison.Ordinal) ? DicomVR.OW
        : DicomVR.Parse(ValueRepresentation[..2]);

    /// <summary>True when the VR depends on other attributes, for example on Pixel Representation for "US or SS".</summary>
    public bool HasAmbiguousVR => ValueRepresentation.Contains(" or ", StringComparison.Ordinal);
}

/// <summary>Which numbers of a range a repeating-group dictionary entry covers.</summary>
internal enum RangeParity
{
    Any,
    Even,
    Odd,
}

/// <summary>A dictionary entry for a repeating group or element range such as (60xx,3000).</summary>
internal sealed record DicomDictionaryRange(
    ushort GroupLow, ushort GroupHigh, RangeParity GroupParity, ushort ElementLow, ushort ElementHigh, RangeParity ElementParity, DicomDictionaryEntry Entry)
{
    public bool Matches(DicomTag tag) => InRange(tag.Group, GroupLow, GroupHigh, GroupParity) && InRange(tag.Element, ElementLow, ElementHigh, ElementParity);

    private static bool InRange(ushort value, ushort low, ushort high, RangeParity parity) => value >= low && value <= high
        && (parity == RangeParity.Any || (value % 2 == 0) == (parity == RangeParity.Even));
}

/// <summary>
/// The standard data dictionary: tag to VR, VM, keyword and name, generated from DCMTK's dicom.dic by
/// tools/generate-dicom-dictionary.py (rerun it to update; see that script for sources and versions).
/// Group length elements (gggg,0000) and private creator elements (gggg,0010-00FF) resolve by rule.
/// Private data elements are not in this dictionary.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The data dictionary is the standard's own term (PS3.6).")]
public static class DicomDictionary
{
    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag =
        DicomDictionaryData.Entries.ToFrozenDictionary(entry => entry.Tag.Value);

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword = DicomDictionaryData.Entries
        .Concat(DicomDictionaryData.Ranges.Select(range => range.Entry))
        .GroupBy(entry => entry.Keyword, StringComparer.Ordinal)
        .ToFrozenDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);

    /// <summary>Number of single-tag entries.</summary>
    public static int Count => ByTag.Count;

    /// <summary>Returns the entry for a tag, including repeating groups and rule-based ones; null for unknown tags.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        if (ByTag.TryGetValue(tag.Value, out DicomDictionaryEntry? entry))
        {
            return entry;
        }

        if (tag.IsGroupLength)
        {
            return new DicomDictionaryEntry(tag, "UL", "1", "GroupLength", "Group Length", true);
        }

        if (tag.IsPrivateCreator)
        {
            return new DicomDictionaryEntry(tag, "LO", "1", "PrivateCreator", "Private Creator", false);
        }

        foreach (DicomDictionaryRange range in DicomDictionaryData.Ranges)
        {
            if (range.Matches(tag))
            {
                return range.Entry with { Tag = tag };
            }
        }

        return null;
    }

    /// <summary>Returns the entry with this keyword (for example "PixelData"); null when there is none.</summary>
    public static DicomDictionaryEntry? FindByKeyword(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return ByKeyword.GetValueOrDefault(keyword);
    }
}
