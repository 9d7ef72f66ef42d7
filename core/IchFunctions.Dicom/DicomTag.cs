using System.Globalization;

namespace IchFunctions.Dicom;

/// <summary>A data element tag: group and element number, ordered as DICOM orders them in a data set.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    public DicomTag(uint value)
        : this((ushort)(value >> 16), (ushort)value)
    {
    }

    /// <summary>The tag as one number, group in the high 16 bits.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for tags in an odd group above 0x0008, which belong to private data elements.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0008;

    /// <summary>True for private creator elements (gggg,0010)-(gggg,00FF) in an odd group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>True for group length elements (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0x0000;

    /// <summary>
    /// The tag of the private creator element that reserves this private element's block, for example
    /// (0019,0010) for (0019,1002); null for public tags and for the creator elements themselves.
    /// </summary>
    public DicomTag? PrivateCreatorTag => IsPrivate && Element >= 0x1000 ? new DicomTag(Group, (ushort)(Element >> 8)) : null;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>Parses "GGGGEEEE" or "(GGGG,EEEE)" in hexadecimal.</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string digits = text.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)
            .Replace(",", "", StringComparison.Ordinal);
        if (digits.Length != 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
        {
            throw new FormatException($"'{text}' is not a DICOM tag; write it as eight hexadecimal digits GGGGEEEE or as (GGGG,EEEE).");
        }

        return new DicomTag(value);
    }

    /// <summary>Formats as (GGGG,EEEE) in upper-case hexadecimal.</summary>
    public override string ToString() => $"({Group:X4},{Element:X4})";
}
