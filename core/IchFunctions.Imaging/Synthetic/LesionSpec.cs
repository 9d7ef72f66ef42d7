namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// One simulated hemorrhage. Location is given in head-centred terms, so the same specification fits the
/// synthetic head and a real background series.
/// </summary>
/// <param name="Kind">The kind of hemorrhage, which decides its shape and where it may lie.</param>
/// <param name="AzimuthDegrees">Direction from the head centre in the axial plane: 0 is the patient's left, 90 posterior, 180 right, 270 anterior.</param>
/// <param name="HeightFraction">Height of the lesion centre between the lowest (0) and highest (1) slice that contains brain.</param>
/// <param name="SizeMm">Extent of the lesion in mm: the radius of a blob, or the radius of a collection along the inner table.</param>
/// <param name="ThicknessMm">Maximum thickness of an epidural or subdural collection in mm; ignored by the other kinds.</param>
/// <param name="DensityHu">Mean attenuation of the blood in Hounsfield units (acute blood is about 50 to 90 HU).</param>
public sealed record LesionSpec(
    HemorrhageKind Kind,
    double AzimuthDegrees,
    double HeightFraction,
    double SizeMm,
    double ThicknessMm = 10,
    double DensityHu = 65)
{
    /// <summary>Throws with the offending value when a parameter is outside its meaningful range.</summary>
    public void Validate()
    {
        if (HeightFraction is < 0 or > 1 || double.IsNaN(HeightFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(HeightFraction), HeightFraction, "The height fraction must be between 0 and 1.");
        }

        if (SizeMm is <= 0 or > 120 || double.IsNaN(SizeMm))
        {
            throw new ArgumentOutOfRangeException(nameof(SizeMm), SizeMm, "The lesion size must be above 0 and at most 120 mm.");
        }

        if (ThicknessMm is <= 0 or > 40 || double.IsNaN(ThicknessMm))
        {
            throw new ArgumentOutOfRangeException(nameof(ThicknessMm), ThicknessMm, "The collection thickness must be above 0 and at most 40 mm.");
        }

        if (DensityHu is < 20 or > 120 || double.IsNaN(DensityHu))
        {
            throw new ArgumentOutOfRangeException(nameof(DensityHu), DensityHu, "Acute blood density must be between 20 and 120 HU.");
        }
    }
}
