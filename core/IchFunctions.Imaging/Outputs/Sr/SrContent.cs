using IchFunctions.Dicom;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Sr;

/// <summary>Relationship Type (0040,A010) between a content item and its parent.</summary>
public enum SrRelationship
{
    Contains,
    HasConceptModifier,
    HasObservationContext,
}

/// <summary>Builds the content items of a structured report (PS3.3 section C.17.3), one data set each.</summary>
internal static class SrContent
{
    public static DicomDataset Container(SrRelationship relationship, CodedConcept concept, params DicomDataset[] children) =>
        Item(relationship, "CONTAINER", concept)
            .With(OutputTags.ContinuityOfContent, DicomVR.CS, "SEPARATE")
            .WithSequence(OutputTags.ContentSequence, children);

    public static DicomDataset Code(SrRelationship relationship, CodedConcept concept, CodedConcept value) =>
        Item(relationship, "CODE", concept).WithSequence(OutputTags.ConceptCodeSequence, value.ToItem());

    public static DicomDataset Text(SrRelationship relationship, CodedConcept concept, string text) =>
        Item(relationship, "TEXT", concept).With(OutputTags.TextValue, DicomVR.UT, text);

    public static DicomDataset UidReference(SrRelationship relationship, CodedConcept concept, string uid) =>
        Item(relationship, "UIDREF", concept).With(OutputTags.Uid, DicomVR.UI, uid);

    /// <summary>A numeric measurement; children (for example the algorithm identification) are added as its content.</summary>
    public static DicomDataset Number(SrRelationship relationship, CodedConcept concept, double value, CodedConcept units, params DicomDataset[] children)
    {
        DicomDataset measured = new DicomDataset()
            .WithSequence(OutputTags.MeasurementUnitsCodeSequence, units.ToItem())
            .WithDecimals(OutputTags.NumericValue, value);
        DicomDataset item = Item(relationship, "NUM", concept).WithSequence(OutputTags.MeasuredValueSequence, measured);
        return children.Length == 0 ? item : item.WithSequence(OutputTags.ContentSequence, children);
    }

    /// <summary>An image reference; <paramref name="concept"/> may be null, as image library entries have no concept name.</summary>
    public static DicomDataset Image(SrRelationship relationship, CodedConcept? concept, string sopClassUid, string sopInstanceUid, int? segmentNumber = null)
    {
        DicomDataset reference = new DicomDataset()
            .With(OutputTags.ReferencedSopClassUid, DicomVR.UI, sopClassUid)
            .With(OutputTags.ReferencedSopInstanceUid, DicomVR.UI, sopInstanceUid);
        if (segmentNumber is { } number)
        {
            reference.WithNumbers(OutputTags.ReferencedSegmentNumber, DicomVR.US, number);
        }

        return Item(relationship, "IMAGE", concept).WithSequence(OutputTags.ReferencedSopSequence, reference);
    }

    private static DicomDataset Item(SrRelationship relationship, string valueType, CodedConcept? concept)
    {
        DicomDataset item = new DicomDataset()
            .With(OutputTags.RelationshipType, DicomVR.CS, Relationship(relationship))
            .With(OutputTags.ValueType, DicomVR.CS, valueType);
        return concept is null ? item : item.WithSequence(OutputTags.ConceptNameCodeSequence, concept.ToItem());
    }

    private static string Relationship(SrRelationship relationship) => relationship switch
    {
        SrRelationship.Contains => "CONTAINS",
        SrRelationship.HasConceptModifier => "HAS CONCEPT MOD",
        SrRelationship.HasObservationContext => "HAS OBS CONTEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(relationship), relationship, "Unknown relationship type."),
    };
}
