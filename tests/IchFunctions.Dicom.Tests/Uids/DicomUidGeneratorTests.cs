using System.Text.RegularExpressions;
using IchFunctions.Dicom.Uids;

namespace IchFunctions.Dicom.Tests.Uids;

public sealed partial class DicomUidGeneratorTests
{
    [GeneratedRegex(@"^2\.25\.(0|[1-9][0-9]*)$")]
    private static partial Regex UuidDerivedUid();

    [Fact]
    public void NewUid_TwoCalls_DifferAndAreValid()
    {
        string first = DicomUidGenerator.NewUid();
        string second = DicomUidGenerator.NewUid();

        Assert.NotEqual(first, second);
        Assert.Matches(UuidDerivedUid(), first);
        Assert.True(first.Length <= 64);
    }

    [Fact]
    public void FromName_SameName_SameUid()
    {
        Assert.Equal(DicomUidGenerator.FromName("series 1.2.3 model 1.0"), DicomUidGenerator.FromName("series 1.2.3 model 1.0"));
        Assert.NotEqual(DicomUidGenerator.FromName("series 1.2.3 model 1.0"), DicomUidGenerator.FromName("series 1.2.3 model 1.1"));
        Assert.Matches(UuidDerivedUid(), DicomUidGenerator.FromName("x"));
    }

    [Fact]
    public void FromUuid_KnownUuid_MatchesStandardExample()
    {
        // PS3.5 section B.2 example: UUID f81d4fae-7dec-11d0-a765-00a0c91e6bf6.
        Assert.Equal("2.25.329800735698586629295641978511506172918", DicomUidGenerator.FromUuid(new Guid("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")));
    }
}
