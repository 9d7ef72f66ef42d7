namespace IchFunctions.Imaging.Geometry;

/// <summary>
/// Where one image slice lies in patient space, from its Image Plane module: Image Position (Patient),
/// Image Orientation (Patient), Pixel Spacing, Slice Thickness, Rows and Columns.
/// </summary>
/// <param name="SopInstanceUid">The slice's SOP Instance UID, kept for references from derived objects.</param>
/// <param name="Position">Centre of the first transmitted pixel, in mm (LPS).</param>
/// <param name="RowDirection">Unit direction along a row, in which the column index grows (first three values of the orientation).</param>
/// <param name="ColumnDirection">Unit direction along a column, in which the row index grows (last three values of the orientation).</param>
/// <param name="RowSpacing">Distance between the centres of adjacent rows, in mm (first value of Pixel Spacing).</param>
/// <param name="ColumnSpacing">Distance between the centres of adjacent columns, in mm (second value of Pixel Spacing).</param>
/// <param name="SliceThickness">Nominal reconstructed thickness in mm, or null when the header has none.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Number of columns.</param>
/// <param name="InstanceNumber">Instance Number, for messages only; never used to order slices.</param>
public sealed record SliceGeometry(
    string SopInstanceUid,
    Vector3D Position,
    Vector3D RowDirection,
    Vector3D ColumnDirection,
    double RowSpacing,
    double ColumnSpacing,
    double? SliceThickness,
    int Rows,
    int Columns,
    int? InstanceNumber = null)
{
    /// <summary>The slice normal: row direction cross column direction, normalised.</summary>
    public Vector3D Normal => RowDirection.Cross(ColumnDirection).Normalize();

    /// <summary>Returns the patient-space position of the centre of pixel (row, column).</summary>
    public Vector3D PixelCentre(double row, double column) =>
        Position + (RowDirection * (column * ColumnSpacing)) + (ColumnDirection * (row * RowSpacing));
}
