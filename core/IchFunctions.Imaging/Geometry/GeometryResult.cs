namespace IchFunctions.Imaging.Geometry;

/// <summary>Outcome of building a stack: the stack, or the reason the slices cannot form one volume.</summary>
public sealed record GeometryResult(SeriesGeometry? Stack, string? Rejection)
{
    public static GeometryResult Rejected(string reason) => new(null, reason);

    public bool IsRejected => Stack is null;
}
