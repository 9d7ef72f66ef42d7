using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace IchFunctions.Dicom.Json;

/// <summary>
/// Reads the DICOM JSON model (PS3.18 Annex F) into data sets. InlineBinary values are decoded; attributes
/// with a BulkDataURI become elements with an empty value and <see cref="DicomElement.BulkDataUri"/> set.
/// Malformed JSON or attributes raise <see cref="DicomJsonException"/> naming the tag.
/// </summary>
public static class DicomJsonReader
{
    /// <summary>Reads a JSON array of data sets, such as a QIDO-RS response or WADO-RS metadata.</summary>
    public static async ValueTask<IReadOnlyList<DicomDataset>> ReadArrayAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(utf8Json, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw new DicomJsonException($"The input is not valid JSON ({exception.Message}).", exception);
        }

        using (document)
        {
            return ReadArray(document.RootElement);
        }
    }

    /// <summary>Reads a JSON array of data sets from a string.</summary>
    public static IReadOnlyList<DicomDataset> ParseArray(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return ReadArray(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new DicomJsonException($"The input is not valid JSON ({exception.Message}).", exception);
        }
    }

    public static IReadOnlyList<DicomDataset> ReadArray(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DicomJsonException($"Expected a JSON array of DICOM data sets, found {array.ValueKind}.");
        }

        return [.. array.EnumerateArray().Select(json => ReadDataset(json))];
    }

    /// <summary>Reads one data set from a JSON object.</summary>
    public static DicomDataset ReadDataset(JsonElement json) => ReadDataset(json, null);

    /// <summary>Reads a data set whose text, unless it sets its own, is in the inherited Specific Character Set.</summary>
    private static DicomDataset ReadDataset(JsonElement json, DicomElement? inheritedCharacterSet)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new DicomJsonException($"Expected a JSON object for a DICOM data set, found {json.ValueKind}.");
        }

        var dataset = new DicomDataset();
        foreach (JsonProperty property in json.EnumerateObject())
        {
            DicomTag tag = ParseTag(property.Name);
            dataset.Set(ReadAttribute(dataset.Find(DicomTags.SpecificCharacterSet) ?? inheritedCharacterSet, tag, property.Value));
        }

        return dataset;
    }

    private static DicomTag ParseTag(string key)
    {
        if (key.Length == 8 && uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
        {
            return new DicomTag(value);
        }

        throw new DicomJsonException($"'{key}' is not a DICOM JSON attribute key; keys are eight hexadecimal digits GGGGEEEE.");
    }

    private static DicomElement ReadAttribute(DicomElement? characterSet, DicomTag tag, JsonElement attribute)
    {
        if (attribute.ValueKind != JsonValueKind.Object || !attribute.TryGetProperty("vr", out JsonElement vrText) || vrText.ValueKind != JsonValueKind.String)
        {
            throw new DicomJsonException($"Attribute {tag} has no \"vr\" string.");
        }

        DicomVR vr;
        try
        {
            vr = DicomVR.Parse(vrText.GetString()!);
        }
        catch (FormatException exception)
        {
            throw new DicomJsonException($"Attribute {tag} has an invalid VR: {exception.Message}", exception);
        }

        if (attribute.TryGetProperty("BulkDataURI", out JsonElement bulk))
        {
            if (!Uri.TryCreate(bulk.GetString(), UriKind.RelativeOrAbsolute, out Uri? uri))
            {
                throw new DicomJsonException($"Attribute {tag} has a BulkDataURI that is not a URI.");
            }

            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty) { BulkDataUri = uri };
        }

        if (attribute.TryGetProperty("InlineBinary", out JsonElement inline))
        {
            try
            {
                return new DicomElement(tag, vr, inline.GetBytesFromBase64());
            }
            catch (FormatException exception)
            {
                throw new DicomJsonException($"Attribute {tag} has InlineBinary that is not valid base64.", exception);
            }
        }

        JsonElement[] values = attribute.TryGetProperty("Value", out JsonElement value)
            ? value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw new DicomJsonException($"The \"Value\" of {tag} is not an array.")
            : [];
        try
        {
            return CreateElement(characterSet, tag, vr, values);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            // JsonElement accessors raise these when a value has the wrong JSON type or does not fit the VR.
            throw new DicomJsonException($"A value of {tag} has the wrong JSON type for VR {vr}: {exception.Message}", exception);
        }
    }

    private static DicomElement CreateElement(DicomElement? characterSet, DicomTag tag, DicomVR vr, JsonElement[] values)
    {
        if (vr == DicomVR.SQ)
        {
            return new DicomSequence(tag, values.Select(item => ReadDataset(item, characterSet)));
        }

        if (vr == DicomVR.PN)
        {
            return StringElement(characterSet, tag, vr, values.Select(PersonName));
        }

        if (vr == DicomVR.AT)
        {
            byte[] bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
            {
                DicomTag value = ParseTag(values[i].GetString() ?? "");
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), value.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), value.Element);
            }

            return new DicomElement(tag, vr, bytes);
        }

        if (vr == DicomVR.DS || vr == DicomVR.IS)
        {
            return StringElement(characterSet, tag, vr, values.Select(v => v.ValueKind switch
            {
                JsonValueKind.Null => "",
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.String => v.GetString()!,
                _ => throw new DicomJsonException($"A value of {tag} ({vr}) is a JSON {v.ValueKind}; expected a number."),
            }));
        }

        if (vr.IsString)
        {
            return StringElement(characterSet, tag, vr, values.Select(v => v.ValueKind == JsonValueKind.Null ? "" : v.GetString()!));
        }

        if (DicomJsonWriter.IsBinary(vr))
        {
            if (values.Length > 0)
            {
                throw new DicomJsonException($"Attribute {tag} has VR {vr}, whose value must be InlineBinary or BulkDataURI, not \"Value\".");
            }

            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty);
        }

        if (vr == DicomVR.SV || vr == DicomVR.UV)
        {
            byte[] bytes = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++)
            {
                if (vr == DicomVR.SV)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i].GetInt64());
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i].GetUInt64());
                }
            }

            return new DicomElement(tag, vr, bytes);
        }

        var numbers = new DicomDataset();
        numbers.SetNumbers(tag, vr, [.. values.Select(v => v.GetDouble())]);
        return numbers.Find(tag)!;
    }

    private static DicomElement StringElement(DicomElement? characterSet, DicomTag tag, DicomVR vr, IEnumerable<string> values)
    {
        string[] texts = [.. values];
        if (texts.Length == 0)
        {
            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty);
        }

        // Encode with the character set in force, which the data set's own (0008,0005) sets before any other text.
        var scratch = new DicomDataset();
        if (characterSet is not null)
        {
            scratch.Set(characterSet);
        }

        scratch.SetStrings(tag, vr, texts);
        return scratch.Find(tag)!;
    }

    private static string PersonName(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new DicomJsonException($"A PN value is a JSON {value.ValueKind}; PS3.18 F.2.2 requires an object with Alphabetic, Ideographic or Phonetic.");
        }

        string Group(string name) => value.TryGetProperty(name, out JsonElement group) ? group.GetString() ?? "" : "";
        return string.Join('=', Group("Alphabetic"), Group("Ideographic"), Group("Phonetic")).TrimEnd('=');
    }
}

/// <summary>DICOM JSON that does not follow PS3.18 Annex F.</summary>
public sealed class DicomJsonException : DicomDataException
{
    public DicomJsonException(string message)
        : base(message)
    {
    }

    public DicomJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
