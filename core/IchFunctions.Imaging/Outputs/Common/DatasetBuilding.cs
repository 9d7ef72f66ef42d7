using System.Globalization;
using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>Small helpers that keep the module builders of the SEG and SR writers readable.</summary>
internal static class DatasetBuilding
{
    /// <summary>Sets a string element; an empty value writes a zero-length (type 2) element.</summary>
    public static DicomDataset With(this DicomDataset dataset, DicomTag tag, DicomVR vr, string value)
    {
        dataset.SetStrings(tag, vr, value);
        return dataset;
    }

    public static DicomDataset WithNumbers(this DicomDataset dataset, DicomTag tag, DicomVR vr, params double[] values)
    {
        dataset.SetNumbers(tag, vr, values);
        return dataset;
    }

    public static DicomDataset WithSequence(this DicomDataset dataset, DicomTag tag, params DicomDataset[] items)
    {
        dataset.Set(new DicomSequence(tag, items));
        return dataset;
    }

    public static DicomDataset WithSequence(this DicomDataset dataset, DicomTag tag, IEnumerable<DicomDataset> items)
    {
        dataset.Set(new DicomSequence(tag, items));
        return dataset;
    }

    /// <summary>Sets decimal strings of at most 16 characters, as the DS VR allows, without losing more precision than needed.</summary>
    public static DicomDataset WithDecimals(this DicomDataset dataset, DicomTag tag, params double[] values)
    {
        dataset.SetStrings(tag, DicomVR.DS, [.. values.Select(FormatDecimal)]);
        return dataset;
    }

    /// <summary>Sets an AT element from its tags.</summary>
    public static DicomDataset WithTag(this DicomDataset dataset, DicomTag tag, DicomTag value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes, value.Group);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), value.Element);
        dataset.Set(new DicomElement(tag, DicomVR.AT, bytes));
        return dataset;
    }

    /// <summary>Copies the listed elements from a source data set, as they are, skipping those the source lacks.</summary>
    public static void CopyFrom(this DicomDataset target, DicomDataset source, IEnumerable<DicomTag> tags)
    {
        foreach (DicomTag tag in tags)
        {
            if (source.Find(tag) is { } element)
            {
                target.Set(element);
            }
        }
    }

    /// <summary>Copies elements from a source data set, or writes an empty (type 2) element where the source lacks one.</summary>
    public static void CopyOrEmpty(this DicomDataset target, DicomDataset source, IEnumerable<(DicomTag Tag, DicomVR VR)> tags)
    {
        foreach ((DicomTag tag, DicomVR vr) in tags)
        {
            target.Set(source.Find(tag) ?? new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
        }
    }

    /// <summary>Formats a value for a DS element: shortest round-trip text, shortened to 16 characters when longer.</summary>
    public static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A decimal string cannot hold NaN or infinity.");
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        for (int digits = 15; text.Length > 16 && digits > 0; digits--)
        {
            text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>Formats a date for a DA element (YYYYMMDD).</summary>
    public static string FormatDate(DateTimeOffset time) => time.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Formats a time for a TM element (HHMMSS.FFFFFF).</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);
}
