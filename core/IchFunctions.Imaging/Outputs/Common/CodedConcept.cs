using IchFunctions.Dicom;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>A coded concept (Code Sequence Macro, PS3.3 table 8.8-1): code value, coding scheme designator and code meaning.</summary>
public sealed record CodedConcept(string Value, string Scheme, string Meaning)
{
    /// <summary>Returns the concept as one item of a code sequence.</summary>
    public DicomDataset ToItem() => new DicomDataset()
        .With(OutputTags.CodeValue, DicomVR.SH, Value)
        .With(OutputTags.CodingSchemeDesignator, DicomVR.SH, Scheme)
        .With(OutputTags.CodeMeaning, DicomVR.LO, Meaning);

    /// <summary>Reads the first item of a code sequence; null when the sequence is absent or empty.</summary>
    public static CodedConcept? FromSequence(DicomDataset dataset, DicomTag sequenceTag)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        DicomSequence? sequence = dataset.FindSequence(sequenceTag);
        if (sequence is null || sequence.Items.Count == 0)
        {
            return null;
        }

        DicomDataset item = sequence.Items[0];

        return new CodedConcept(
            item.GetString(OutputTags.CodeValue) ?? "",
            item.GetString(OutputTags.CodingSchemeDesignator) ?? "",
            item.GetString(OutputTags.CodeMeaning) ?? "");
    }

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}
