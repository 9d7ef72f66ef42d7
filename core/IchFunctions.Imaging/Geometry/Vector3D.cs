namespace IchFunctions.Imaging.Geometry;

/// <summary>A point or direction in the DICOM patient coordinate system (LPS), in millimetres.</summary>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vector3D operator *(Vector3D a, double scale) => new(a.X * scale, a.Y * scale, a.Z * scale);

    public double Length => Math.Sqrt(Dot(this));

    public double Dot(Vector3D other) => (X * other.X) + (Y * other.Y) + (Z * other.Z);

    public Vector3D Cross(Vector3D other) => new(
        (Y * other.Z) - (Z * other.Y),
        (Z * other.X) - (X * other.Z),
        (X * other.Y) - (Y * other.X));

    /// <summary>Returns this vector scaled to length 1; throws for a zero vector.</summary>
    public Vector3D Normalize()
    {
        double length = Length;
        if (length < 1e-12)
        {
            throw new InvalidOperationException("A zero-length vector has no direction.");
        }

        return this * (1.0 / length);
    }

    /// <summary>Returns the angle between two directions, in degrees, ignoring their sign (0 to 90).</summary>
    public double UnsignedAngleDegrees(Vector3D other)
    {
        double cosine = Math.Abs(Normalize().Dot(other.Normalize()));
        return Math.Acos(Math.Min(1.0, cosine)) * 180.0 / Math.PI;
    }

    public override string ToString() => FormattableString.Invariant($"({X:0.###}, {Y:0.###}, {Z:0.###})");
}
