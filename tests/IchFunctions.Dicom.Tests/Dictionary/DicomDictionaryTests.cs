using IchFunctions.Dicom.Dictionary;

namespace IchFunctions.Dicom.Tests.Dictionary;

public sealed class DicomDictionaryTests
{
    [Fact]
    public void Find_StandardTag_ReturnsVRKeywordAndName()
    {
        DicomDictionaryEntry entry = DicomDictionary.Find(DicomTags.SopInstanceUid)!;

        Assert.Equal("UI", entry.ValueRepresentation);
        Assert.Equal("1", entry.ValueMultiplicity);
        Assert.Equal("SOPInstanceUID", entry.Keyword);
        Assert.Equal("SOP Instance UID", entry.Name);
    }

    [Fact]
    public void Find_RepeatingGroup_MatchesEvenGroupsOnly()
    {
        Assert.Equal("OverlayData", DicomDictionary.Find(new DicomTag(0x6002, 0x3000))!.Keyword);
        Assert.Null(DicomDictionary.Find(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void Find_AmbiguousVR_ReadsAsFirstAlternative()
    {
        DicomDictionaryEntry smallest = DicomDictionary.Find(new DicomTag(0x0028, 0x0106))!;
        DicomDictionaryEntry pixels = DicomDictionary.Find(DicomTags.PixelData)!;

        Assert.Equal("US or SS", smallest.ValueRepresentation);
        Assert.Equal(DicomVR.US, smallest.ImplicitVR);
        Assert.Equal(DicomVR.OW, pixels.ImplicitVR);
    }

    [Fact]
    public void Find_GroupLengthAndPrivateCreator_ResolvedByRule()
    {
        Assert.Equal("UL", DicomDictionary.Find(new DicomTag(0x0009, 0x0000))!.ValueRepresentation);
        Assert.Equal("LO", DicomDictionary.Find(new DicomTag(0x0019, 0x0010))!.ValueRepresentation);
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0019, 0x1002)));
    }

    [Fact]
    public void FindByKeyword_PixelData_ReturnsTag()
    {
        Assert.Equal(DicomTags.PixelData, DicomDictionary.FindByKeyword("PixelData")!.Tag);
        Assert.True(DicomDictionary.Count > 4000);
    }
}
