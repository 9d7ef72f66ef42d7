namespace IchFunctions.Dicom.Tests.Support;

/// <summary>
/// Compares data sets by meaning rather than bytes, as a trip through DICOM JSON preserves them: string values
/// without padding (DS and IS as numbers), numbers by value, binary values by bytes, sequences item by item.
/// Elements with a BulkDataURI match any value. Group lengths are ignored.
/// </summary>
internal static class SemanticComparer
{
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var differences = new List<string>();
        foreach (DicomElement want in expected.Where(element => !element.Tag.IsGroupLength))
        {
            string where = $"{path}{want.Tag}";
            DicomElement? got = actual.Find(want.Tag);
            if (got is null)
            {
                differences.Add($"{where}: missing");
                continue;
            }

            if (want.VR != got.VR)
            {
                differences.Add($"{where}: VR {want.VR} expected, {got.VR} found");
                continue;
            }

            if (got.BulkDataUri is not null)
            {
                continue;
            }

            if (want is DicomSequence sequence)
            {
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

                continue;
            }

            string? problem = want.VR == DicomVR.DS || want.VR == DicomVR.IS ? CompareNumbers(expected.GetDoubles(want.Tag), actual.GetDoubles(got.Tag))
                : want.VR.IsString ? CompareStrings(expected.GetStrings(want.Tag), actual.GetStrings(got.Tag))
                : want.Value.Span.SequenceEqual(got.Value.Span) || (want.Value.Length % 2 == 1 && got.Value.Span.StartsWith(want.Value.Span) && got.Value.Length == want.Value.Length + 1)
                    ? null : $"{want.Value.Length} bytes differ from {got.Value.Length} found";
            if (problem is not null)
            {
                differences.Add($"{where}: {problem}");
            }
        }

        foreach (DicomElement extra in actual.Where(element => !element.Tag.IsGroupLength && !expected.Contains(element.Tag)))
        {
            differences.Add($"{path}{extra.Tag}: unexpected");
        }

        return differences;
    }

    /// <summary>Compares string values; a value of only padding equals an empty value, as JSON has no way to tell them apart.</summary>
    private static string? CompareStrings(string[] expected, string[] actual) =>
        expected.SequenceEqual(actual) || (expected.All(value => value.Length == 0) && actual.All(value => value.Length == 0)) ? null : $"'{string.Join('\\', expected)}' expected, '{string.Join('\\', actual)}' found";

    private static string? CompareNumbers(double[] expected, double[] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(pair => Math.Abs(pair.First - pair.Second) <= 1e-9 * Math.Max(1, Math.Abs(pair.First)))
            ? null : $"{string.Join('\\', expected)} expected, {string.Join('\\', actual)} found";
}
