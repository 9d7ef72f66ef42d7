using System.Text;

namespace IchFunctions.Dicom.Text;

/// <summary>
/// The text encoding named by Specific Character Set (0008,0005). Supported: the default repertoire
/// (absent, empty or ISO_IR 6), ISO_IR 100 (Latin-1) and ISO_IR 192 (UTF-8); ISO 2022 forms of the first two
/// are accepted when they are the only value. Anything else is kept as its defined terms and
/// <see cref="IsSupported"/> is false, so decoding raises <see cref="DicomCharacterSetException"/> instead of
/// returning garbled text.
/// </summary>
public sealed class DicomCharacterSet
{
    private readonly Encoding? _encoding;

    private DicomCharacterSet(string definedTerms, Encoding? encoding)
    {
        DefinedTerms = definedTerms;
        _encoding = encoding;
    }

    /// <summary>
    /// The default repertoire. Bytes above 0x7F, which it does not define, are decoded as Latin-1 so that
    /// nothing is lost or replaced.
    /// </summary>
    public static DicomCharacterSet Default { get; } = new(string.Empty, Encoding.Latin1);

    public static DicomCharacterSet Latin1 { get; } = new("ISO_IR 100", Encoding.Latin1);

    public static DicomCharacterSet Utf8 { get; } = new("ISO_IR 192", new UTF8Encoding(false, true));

    /// <summary>The value of Specific Character Set as read, values joined by a backslash.</summary>
    public string DefinedTerms { get; }

    public bool IsSupported => _encoding is not null;

    /// <summary>Returns the character set for the values of a Specific Character Set element.</summary>
    public static DicomCharacterSet FromDefinedTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        string[] values = [.. terms.Select(term => term.Trim())];
        if (values.Length == 0 || (values.Length == 1 && values[0].Length == 0))
        {
            return Default;
        }

        if (values.Length == 1)
        {
            switch (values[0])
            {
                case "ISO_IR 6":
                case "ISO 2022 IR 6":
                    return Default;
                case "ISO_IR 100":
                case "ISO 2022 IR 100":
                    return Latin1;
                case "ISO_IR 192":
                    return Utf8;
            }
        }

        return new DicomCharacterSet(string.Join('\\', values), null);
    }

    /// <summary>Decodes text bytes; raises <see cref="DicomCharacterSetException"/> when the set is not supported.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomTag tag)
    {
        Encoding encoding = RequireEncoding(tag);
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw new DicomCharacterSetException(
                $"The value of {tag} is not valid {DefinedTerms} text at byte {exception.Index}; the file's Specific Character Set "
                + "does not match its bytes. Correct (0008,0005) or the value.");
        }
    }

    /// <summary>Encodes text; raises <see cref="DicomCharacterSetException"/> when a character cannot be represented.</summary>
    public byte[] Encode(string text, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(text);
        Encoding encoding = RequireEncoding(tag);
        if (ReferenceEquals(encoding, Encoding.Latin1) && text.Any(c => c > 0xFF))
        {
            throw new DicomCharacterSetException(
                $"The value for {tag} has characters outside {(DefinedTerms.Length == 0 ? "the default repertoire" : DefinedTerms)}; "
                + "set Specific Character Set (0008,0005) to ISO_IR 192 (UTF-8) first.");
        }

        return encoding.GetBytes(text);
    }

    private Encoding RequireEncoding(DicomTag tag)
    {
        return _encoding ?? throw new DicomCharacterSetException(
            $"The text of {tag} uses Specific Character Set '{DefinedTerms}', which this toolkit does not decode "
            + "(supported: the default repertoire, ISO_IR 100 and ISO_IR 192). Convert the file to UTF-8 first, "
            + "for example with DCMTK's 'dcmconv +U8'.");
    }

    public override string ToString() => DefinedTerms.Length == 0 ? "default repertoire" : DefinedTerms;
}
