namespace IchFunctions.Imaging.Geometry;

/// <summary>What a stack check found about the slices of one series.</summary>
public enum GeometryFindingKind
{
    /// <summary>The same SOP Instance UID appeared more than once; the copies were dropped.</summary>
    DuplicateInstance,

    /// <summary>Different instances at the same position along the normal; all but one were dropped.</summary>
    DuplicatePosition,

    /// <summary>The distance between neighbours exceeds their slice thickness: slices are missing or not contiguous.</summary>
    Gap,

    /// <summary>Neighbour distances along the normal differ within the series.</summary>
    VariableSpacing,

    /// <summary>Overlapping slices: the distance between neighbours is below their slice thickness.</summary>
    Overlap,

    /// <summary>Slice Thickness differs within the series.</summary>
    MixedSliceThickness,

    /// <summary>The slice plane is not orthogonal to the stacking direction (gantry tilt), so the volume is sheared.</summary>
    GantryTilt,
}

/// <summary>One finding of the stack checks, with a message that names the values involved and no patient data.</summary>
public sealed record GeometryFinding(GeometryFindingKind Kind, string Message);
