using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IchFunctions.Dicom.Json;

/// <summary>
/// Writes data sets in the DICOM JSON model (PS3.18 Annex F): an object per data set keyed by "GGGGEEEE",
/// each attribute with "vr" and "Value", "InlineBinary" or "BulkDataURI". Person names become objects with
/// Alphabetic, Ideographic and Phonetic groups; DS, IS and the binary numeric VRs become JSON numbers.
/// </summary>
public static partial class DicomJsonWriter
{
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    /// <summary>Returns a JSON array of the data sets, as QIDO-RS responses and STOW-RS metadata requests carry them.</summary>
    public static string Serialize(IEnumerable<DicomDataset> datasets, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (DicomDataset dataset in datasets)
            {
                Write(writer, dataset, options);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes one data set as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonWriterOptions.Default;
        writer.WriteStartObject();
        foreach (DicomElement element in dataset)
        {
            if (element.Tag.IsGroupLength)
            {
                continue; // PS3.18 F.2.1: group length attributes are not included.
            }

            writer.WritePropertyName($"{element.Tag.Group:X4}{element.Tag.Element:X4}");
            WriteAttribute(writer, dataset, element, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element, DicomJsonWriterOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("vr", element.VR.ToString());
        switch (element)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count > 0)
                {
                    writer.WriteStartArray("Value");
                    foreach (DicomDataset item in sequence.Items)
                    {
                        Write(writer, item, options);
                    }

                    writer.WriteEndArray();
                }

                break;
            case DicomEncapsulatedPixelData:
                Uri uri = options.BulkDataUri?.Invoke(dataset, element) ?? throw new DicomValueException(
                    $"Encapsulated {element.Tag} can only be written to DICOM JSON as a BulkDataURI; set DicomJsonWriterOptions.BulkDataUri.");
                writer.WriteString("BulkDataURI", uri.ToString());
                break;
            default:
                WriteValue(writer, dataset, element, options);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element, DicomJsonWriterOptions options)
    {
        DicomVR vr = element.VR;
        if (element.BulkDataUri is not null)
        {
            writer.WriteString("BulkDataURI", element.BulkDataUri.ToString());
            return;
        }

        if (IsBinary(vr))
        {
            Uri? uri = element.Value.IsEmpty ? null : options.BulkDataUri?.Invoke(dataset, element);
            if (uri is not null)
            {
                writer.WriteString("BulkDataURI", uri.ToString());
            }
            else if (!element.Value.IsEmpty)
            {
                writer.WriteBase64String("InlineBinary", element.Value.Span);
            }

            return;
        }

        if (element.Value.IsEmpty)
        {
            return;
        }

        writer.WriteStartArray("Value");
        if (vr == DicomVR.PN)
        {
            WritePersonNames(writer, dataset.GetStrings(element.Tag));
        }
        else if (vr == DicomVR.DS || vr == DicomVR.IS)
        {
            foreach (string text in dataset.GetStrings(element.Tag))
            {
                WriteDecimalString(writer, element.Tag, text);
            }
        }
        else if (vr == DicomVR.AT)
        {
            foreach (DicomTag tag in dataset.GetTags(element.Tag))
            {
                writer.WriteStringValue($"{tag.Group:X4}{tag.Element:X4}");
            }
        }
        else if (vr.IsString)
        {
            foreach (string text in dataset.GetStrings(element.Tag))
            {
                if (text.Length == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(text);
                }
            }
        }
        else if (vr == DicomVR.SV || vr == DicomVR.UV)
        {
            // 64-bit integers are written exactly, not through double.
            ReadOnlySpan<byte> bytes = element.Value.Span;
            for (int offset = 0; offset + 8 <= bytes.Length; offset += 8)
            {
                if (vr == DicomVR.SV)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(bytes[offset..]));
                }
                else
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]));
                }
            }
        }
        else
        {
            foreach (double number in dataset.GetDoubles(element.Tag))
            {
                WriteNumber(writer, element, number);
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePersonNames(Utf8JsonWriter writer, string[] names)
    {
        string[] groups = ["Alphabetic", "Ideographic", "Phonetic"];
        foreach (string name in names)
        {
            if (name.Length == 0)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            string[] parts = name.Split('=');
            for (int i = 0; i < Math.Min(parts.Length, groups.Length); i++)
            {
                if (parts[i].Length > 0)
                {
                    writer.WriteString(groups[i], parts[i]);
                }
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteDecimalString(Utf8JsonWriter writer, DicomTag tag, string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            writer.WriteNullValue();
            return;
        }

        if (trimmed.StartsWith('+'))
        {
            trimmed = trimmed[1..];
        }

        if (JsonNumber().IsMatch(trimmed))
        {
            writer.WriteRawValue(trimmed, skipInputValidation: true);
            return;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
            return;
        }

        throw new DicomValueException($"A value of {tag} is not a number, so it cannot be written as DICOM JSON; correct the element.");
    }

    private static void WriteNumber(Utf8JsonWriter writer, DicomElement element, double number)
    {
        if (!double.IsFinite(number))
        {
            throw new DicomValueException($"{element.Tag} contains NaN or infinity, which JSON cannot represent; replace the value with a finite number.");
        }

        if (element.VR == DicomVR.FL)
        {
            writer.WriteNumberValue((float)number);
        }
        else
        {
            writer.WriteNumberValue(number);
        }
    }

    internal static bool IsBinary(DicomVR vr) => vr == DicomVR.OB || vr == DicomVR.OD || vr == DicomVR.OF || vr == DicomVR.OL
        || vr == DicomVR.OV || vr == DicomVR.OW || vr == DicomVR.UN;
}
