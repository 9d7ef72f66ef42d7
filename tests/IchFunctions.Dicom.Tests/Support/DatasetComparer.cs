namespace IchFunctions.Dicom.Tests.Support;

/// <summary>
/// Compares two data sets element by element, recursing into sequences and pixel data fragments. A value
/// read with odd length may come back one padding byte longer, since writers pad every value to even length;
/// group length elements (gggg,0000) are ignored because the writer does not write them.
/// </summary>
internal static class DatasetComparer
{
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var differences = new List<string>();
        List<DicomElement> left = [.. expected.Where(element => !element.Tag.IsGroupLength)];
        List<DicomElement> right = [.. actual.Where(element => !element.Tag.IsGroupLength)];
        if (left.Count != right.Count)
        {
            differences.Add($"{path}: {left.Count} elements expected, {right.Count} found");
        }

        foreach ((DicomElement want, DicomElement got) in left.Zip(right))
        {
            string where = $"{path}{want.Tag}";
            if (want.Tag != got.Tag || want.VR != got.VR || want.GetType() != got.GetType())
            {
                differences.Add($"{where}: expected {want}, found {got}");
                continue;
            }

            switch (want)
            {
                case DicomSequence sequence:
                    var other = (DicomSequence)got;
                    if (sequence.Items.Count != other.Items.Count)
                    {
                        differences.Add($"{where}: {sequence.Items.Count} items expected, {other.Items.Count} found");
                        continue;
                    }

                    for (int i = 0; i < sequence.Items.Count; i++)
                    {
                        differences.AddRange(Differences(sequence.Items[i], other.Items[i], $"{where}[{i}]/"));
                    }

                    break;
                case DicomEncapsulatedPixelData pixels:
                    var otherPixels = (DicomEncapsulatedPixelData)got;
                    if (!ValuesMatch(pixels.BasicOffsetTable, otherPixels.BasicOffsetTable) || pixels.Fragments.Count != otherPixels.Fragments.Count
                        || pixels.Fragments.Zip(otherPixels.Fragments).Any(pair => !ValuesMatch(pair.First, pair.Second)))
                    {
                        differences.Add($"{where}: fragments differ");
                    }

                    break;
                default:
                    if (!ValuesMatch(want.Value, got.Value))
                    {
                        differences.Add($"{where}: value of {want.Value.Length} bytes differs from the {got.Value.Length} bytes found");
                    }

                    break;
            }
        }

        return differences;
    }

    private static bool ValuesMatch(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual)
    {
        if (expected.Span.SequenceEqual(actual.Span))
        {
            return true;
        }

        return expected.Length % 2 == 1 && actual.Length == expected.Length + 1 && actual.Span[..expected.Length].SequenceEqual(expected.Span);
    }
}
