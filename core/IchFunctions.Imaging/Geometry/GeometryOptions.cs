namespace IchFunctions.Imaging.Geometry;

/// <summary>Tolerances of the stack checks. The defaults suit CT headers, whose positions carry about 0.001 mm.</summary>
public sealed record GeometryOptions
{
    /// <summary>Two slices closer than this along the normal, in mm, are at the same position.</summary>
    public double PositionToleranceMm { get; init; } = 0.05;

    /// <summary>Neighbour distances that differ by more than this, in mm, count as variable spacing.</summary>
    public double SpacingToleranceMm { get; init; } = 0.05;

    /// <summary>Orientations that differ by more than this angle, in degrees, are different planes.</summary>
    public double OrientationToleranceDegrees { get; init; } = 0.1;

    /// <summary>Pixel spacings that differ by more than this, in mm, are different.</summary>
    public double PixelSpacingToleranceMm { get; init; } = 1e-4;

    /// <summary>An angle between the slice normal and the stacking direction above this, in degrees, is reported as gantry tilt.</summary>
    public double TiltThresholdDegrees { get; init; } = 0.5;

    public static GeometryOptions Default { get; } = new();
}
