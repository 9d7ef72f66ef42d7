using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using IchFunctions.Dicom.Text;

namespace IchFunctions.Dicom;

/// <summary>Typed reading and writing of element values.</summary>
public sealed partial class DicomDataset
{
    /// <summary>
    /// The character set for text in this data set: its own Specific Character Set, else the one of the data
    /// set that contains it, else the default repertoire.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            DicomElement? element = Find(DicomTags.SpecificCharacterSet);
            if (element is not null)
            {
                string terms = Encoding.ASCII.GetString(element.Value.Span).TrimEnd(' ', '\0');
                return DicomCharacterSet.FromDefinedTerms(terms.Split('\\'));
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>
    /// Returns a string value with trailing padding (spaces and NULs) removed, all values joined by backslashes;
    /// null when the element is absent.
    /// </summary>
    public string? GetString(DicomTag tag)
    {
        DicomElement? element = Find(tag);
        return element is null ? null : DecodeText(element).TrimEnd(' ', '\0');
    }

    /// <summary>Returns the values of a multi-valued string element, each without padding; empty when absent.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        DicomElement? element = Find(tag);
        if (element is null || element.Value.IsEmpty)
        {
            return [];
        }

        string text = DecodeText(element);
        if (element.VR.IsSingleValuedText)
        {
            return [text.TrimEnd(' ', '\0')];
        }

        return [.. text.Split('\\').Select(value => element.VR == DicomVR.UI ? value.TrimEnd('\0', ' ') : value.Trim(' ', '\0'))];
    }

    /// <summary>Returns a value as a 32-bit integer (US, SS, UL, SL, IS, SV, UV); null when the element or value is absent.</summary>
    public int? GetInt32(DicomTag tag, int index = 0)
    {
        double? value = GetDouble(tag, index);
        if (value is null)
        {
            return null;
        }

        if (value.Value != Math.Floor(value.Value) || value.Value < int.MinValue || value.Value > int.MaxValue)
        {
            throw new DicomValueException($"Value {index} of {tag} is not a 32-bit integer (fractional or out of range); read it with GetDouble.");
        }

        return (int)value.Value;
    }

    /// <summary>Returns one value of a numeric element (binary numbers, DS or IS) as a double; null when absent.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
    {
        double[] values = GetDoubles(tag);
        return index < values.Length ? values[index] : null;
    }

    /// <summary>Returns all values of a numeric element (binary numbers, DS or IS) as doubles; empty when absent.</summary>
    public double[] GetDoubles(DicomTag tag)
    {
        DicomElement? element = Find(tag);
        if (element is null)
        {
            return [];
        }

        if (element.VR == DicomVR.DS || element.VR == DicomVR.IS)
        {
            return [.. GetStrings(tag).Where(text => text.Length > 0).Select(text => ParseDecimal(tag, text))];
        }

        return ReadBinaryNumbers(element);
    }

    /// <summary>Returns the values of an AT element.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        DicomElement? element = Find(tag);
        if (element is null)
        {
            return [];
        }

        ReadOnlySpan<byte> bytes = element.Value.Span;
        var tags = new DicomTag[bytes.Length / 4];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[((i * 4) + 2)..]));
        }

        return tags;
    }

    /// <summary>
    /// Returns the private creator that reserves the block of a private element, for example "GEMS_ACQU_01"
    /// for (0019,1002); null for public tags or when the creator element is missing.
    /// </summary>
    public string? GetPrivateCreator(DicomTag tag) => tag.PrivateCreatorTag is { } creator ? GetString(creator) : null;

    /// <summary>
    /// Returns the tag of a private element by its creator and its element offset within the block
    /// (0x00-0xFF), or null when no block of this group is reserved by the creator.
    /// </summary>
    public DicomTag? FindPrivateTag(ushort group, string creator, byte elementOffset)
    {
        ArgumentNullException.ThrowIfNull(creator);
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            if (GetString(new DicomTag(group, block)) == creator)
            {
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
        }

        return null;
    }

    /// <summary>
    /// Sets a string element from its values, encoded with this data set's character set and padded to even
    /// length with the VR's padding byte.
    /// </summary>
    public void SetStrings(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string text = string.Join('\\', values);
        byte[] bytes = vr.IsAffectedByCharacterSet ? CharacterSet.Encode(text, tag) : EncodeAscii(tag, text);
        Set(new DicomElement(tag, vr, PadToEven(bytes, vr.PaddingByte)));
    }

    /// <summary>Sets a binary numeric element (US, SS, UL, SL, FL, FD, SV, UV) from its values.</summary>
    public void SetNumbers(DicomTag tag, DicomVR vr, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (vr == DicomVR.DS || vr == DicomVR.IS)
        {
            SetStrings(tag, vr, [.. values.Select(value => value.ToString(vr == DicomVR.IS ? "F0" : "G12", CultureInfo.InvariantCulture))]);
            return;
        }

        int size = vr.ByteSwapSize;
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            WriteBinaryNumber(tag, vr, bytes.AsSpan(i * size, size), values[i]);
        }

        Set(new DicomElement(tag, vr, bytes));
    }

    internal static byte[] PadToEven(byte[] bytes, byte padding)
    {
        if (bytes.Length % 2 == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }

    private string DecodeText(DicomElement element)
    {
        if (!element.VR.IsString)
        {
            throw new DicomValueException($"{element.Tag} has VR {element.VR}, which is not a string; read it as numbers or bytes.");
        }

        return element.VR.IsAffectedByCharacterSet
            ? CharacterSet.Decode(element.Value.Span, element.Tag)
            : Encoding.Latin1.GetString(element.Value.Span);
    }

    private static byte[] EncodeAscii(DicomTag tag, string text)
    {
        if (text.Any(c => c > 0x7F))
        {
            throw new DicomCharacterSetException($"The value for {tag} has non-ASCII characters, which its VR does not allow.");
        }

        return Encoding.ASCII.GetBytes(text);
    }

    private static double ParseDecimal(DicomTag tag, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }

        // The value itself stays out of the message, because numeric attributes such as Patient's Weight are patient data.
        throw new DicomValueException($"A value of {tag} ({text.Length} characters) is not a decimal or integer string; correct the element.");
    }

    private static double[] ReadBinaryNumbers(DicomElement element)
    {
        DicomVR vr = element.VR;
        int size = vr.ByteSwapSize;
        bool known = vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL
            || vr == DicomVR.FD || vr == DicomVR.SV || vr == DicomVR.UV;
        if (!known)
        {
            throw new DicomValueException($"{element.Tag} has VR {vr}, which is not numeric; read it as a string or as bytes.");
        }

        ReadOnlySpan<byte> bytes = element.Value.Span;
        var values = new double[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> slice = bytes.Slice(i * size, size);
            values[i] = vr == DicomVR.US ? BinaryPrimitives.ReadUInt16LittleEndian(slice)
                : vr == DicomVR.SS ? BinaryPrimitives.ReadInt16LittleEndian(slice)
                : vr == DicomVR.UL ? BinaryPrimitives.ReadUInt32LittleEndian(slice)
                : vr == DicomVR.SL ? BinaryPrimitives.ReadInt32LittleEndian(slice)
                : vr == DicomVR.FL ? BinaryPrimitives.ReadSingleLittleEndian(slice)
                : vr == DicomVR.FD ? BinaryPrimitives.ReadDoubleLittleEndian(slice)
                : vr == DicomVR.SV ? BinaryPrimitives.ReadInt64LittleEndian(slice)
                : BinaryPrimitives.ReadUInt64LittleEndian(slice);
        }

        return values;
    }

    private static void WriteBinaryNumber(DicomTag tag, DicomVR vr, Span<byte> target, double value)
    {
        checked
        {
            try
            {
                if (vr == DicomVR.US) BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                else if (vr == DicomVR.SS) BinaryPrimitives.WriteInt16LittleEndian(target, (short)value);
                else if (vr == DicomVR.UL) BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)value);
                else if (vr == DicomVR.SL) BinaryPrimitives.WriteInt32LittleEndian(target, (int)value);
                else if (vr == DicomVR.FL) BinaryPrimitives.WriteSingleLittleEndian(target, (float)value);
                else if (vr == DicomVR.FD) BinaryPrimitives.WriteDoubleLittleEndian(target, value);
                else if (vr == DicomVR.SV) BinaryPrimitives.WriteInt64LittleEndian(target, (long)value);
                else if (vr == DicomVR.UV) BinaryPrimitives.WriteUInt64LittleEndian(target, (ulong)value);
                else throw new DicomValueException($"{tag} cannot be set from numbers with VR {vr}; use a numeric VR.");
            }
            catch (OverflowException exception)
            {
                throw new DicomValueException($"The value {value} does not fit VR {vr} of {tag}.", exception);
            }
        }
    }
}
