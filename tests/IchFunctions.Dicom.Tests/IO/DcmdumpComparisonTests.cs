using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Tests.Support;

namespace IchFunctions.Dicom.Tests.IO;

/// <summary>
/// Reads every test file with our reader and with DCMTK's dcmdump and compares the element lists: tag, VR,
/// length, item counts and the value of every non-binary element, in the file meta group and the data set.
/// </summary>
public sealed class DcmdumpComparisonTests
{
    public static TheoryData<string> Files => TestFiles.ReadableData();

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_EveryFile_MatchesDcmdump(string relativePath)
    {
        string path = TestFiles.Require(relativePath);
        DicomFile file = DicomReader.ReadFile(path);
        (List<ListedElement> expectedMeta, List<ListedElement> expectedDataset) = ElementListing.FromDcmdump(path, ExtraOptions(relativePath));

        // dcmdump +U8 converts text to UTF-8 and so rewrites Specific Character Set; compare everything else.
        static List<ListedElement> WithoutCharacterSet(List<ListedElement> listing) => [.. listing.Where(element => element.Tag != "0008,0005")];
        List<string> differences = [
            .. Compare(expectedMeta, ElementListing.FromDataset(file.FileMetaInformation)).Select(d => "meta: " + d),
            .. Compare(WithoutCharacterSet(expectedDataset), WithoutCharacterSet(ElementListing.FromDataset(file.Dataset))),
        ];

        Assert.True(differences.Count == 0, $"{relativePath}: {differences.Count} differences from dcmdump:\n" + string.Join('\n', differences.Take(40)));
    }

    /// <summary>
    /// dcmdump options for files it rejects by default. The meta group of 20-wrong-transfer-syntax.dcm declares
    /// JPEG-LS Lossless, but its Pixel Data has an explicit length, which DCMTK refuses unless told to accept
    /// (+pe); our reader keeps such Pixel Data as a plain element and leaves the mismatch to the pixel decoder.
    /// </summary>
    private static string[] ExtraOptions(string relativePath) =>
        relativePath.EndsWith("20-wrong-transfer-syntax.dcm", StringComparison.Ordinal) ? ["+pe"] : [];

    /// <summary>
    /// Compares listings line by line. Private data elements read in Implicit VR are UN for us, because our
    /// dictionary holds no private tags, while DCMTK assigns VRs from its private dictionary (private.dic):
    /// for those only the length is compared, and a private sequence DCMTK parses is skipped as a whole.
    /// </summary>
    private static List<string> Compare(List<ListedElement> expected, List<ListedElement> actual)
    {
        var differences = new List<string>();
        int e = 0;
        int a = 0;
        while (e < expected.Count && a < actual.Count)
        {
            ListedElement want = expected[e];
            ListedElement got = actual[a];
            if (want.Tag != got.Tag || want.Depth != got.Depth)
            {
                differences.Add($"expected {want}, found {got}");
                return differences;
            }

            bool privateAsUnknown = got.VR == "UN" && want.VR != "UN" && IsPrivateData(got.Tag);
            if (privateAsUnknown)
            {
                e++;
                a++;
                if (want.VR == "SQ")
                {
                    while (e < expected.Count && expected[e].Depth > want.Depth)
                    {
                        e++;
                    }
                }
                else if (want.Length != got.Length)
                {
                    differences.Add($"length: expected {want}, found {got}");
                }

                continue;
            }

            if (want.VR != got.VR)
            {
                differences.Add($"VR: expected {want}, found {got}");
            }
            else if (got.Length != "?" && want.Length != got.Length)
            {
                differences.Add($"length: expected {want}, found {got}");
            }
            else if (want.Value is not null && got.Value is not null && !ElementListing.ValuesAgree(want.Value, got.Value))
            {
                differences.Add($"value: expected {want}, found {got}");
            }

            e++;
            a++;
        }

        for (; e < expected.Count; e++)
        {
            differences.Add($"missing {expected[e]}");
        }

        for (; a < actual.Count; a++)
        {
            differences.Add($"extra {actual[a]}");
        }

        return differences;
    }

    private static bool IsPrivateData(string tag)
    {
        int group = Convert.ToInt32(tag[..4], 16);
        int element = Convert.ToInt32(tag[5..], 16);
        return group % 2 == 1 && element >= 0x1000;
    }
}
