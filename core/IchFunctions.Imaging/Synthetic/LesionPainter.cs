using System.Globalization;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Paints one simulated hemorrhage into an HU volume and its label map, shaped and placed by kind:
/// collections along the inner table, a blob with an edema rim, blood in CSF spaces or in the ventricles.
/// Only intracranial voxels are ever changed.
/// </summary>
internal static class LesionPainter
{
    private const double EdemaRimMm = 4;
    private const short EdemaDropHu = 10;

    /// <summary>Blood within the brain stays this far below the inner table; closer, it would read as extra-axial.</summary>
    private const double ParenchymalMinimumDepthMm = 3;

    /// <summary>Paints the lesion with label <paramref name="label"/> and returns how many voxels it covers.</summary>
    public static int Paint(AnatomyModel anatomy, short[] hu, byte[] labels, LesionSpec lesion, byte label, Random random)
    {
        return lesion.Kind switch
        {
            HemorrhageKind.Epidural => PaintCollection(anatomy, hu, labels, lesion, label, exponent: 2),
            HemorrhageKind.Subdural => PaintCollection(anatomy, hu, labels, lesion, label, exponent: 6),
            HemorrhageKind.Intraparenchymal => PaintParenchymal(anatomy, hu, labels, lesion, label, random),
            HemorrhageKind.Subarachnoid => PaintInTissue(anatomy, hu, labels, lesion, label, TissueClass.Csf, InnerTableAnchor(anatomy, lesion), dependentOnly: false),
            HemorrhageKind.Intraventricular => PaintInTissue(anatomy, hu, labels, lesion, label, TissueClass.Ventricle, VentricleAnchor(anatomy, lesion), dependentOnly: true),
            _ => throw new ArgumentOutOfRangeException(nameof(lesion), lesion.Kind, "Unknown hemorrhage kind."),
        };
    }

    /// <summary>
    /// Epidural (exponent 2: lentiform, thickest at the centre) and subdural (exponent 6: crescent of nearly even
    /// thickness) collections lie against the inner table and stay on their side of the falx.
    /// </summary>
    private static int PaintCollection(AnatomyModel anatomy, short[] hu, byte[] labels, LesionSpec lesion, byte label, int exponent)
    {
        Vector3D anchor = InnerTableAnchor(anatomy, lesion);
        double side = Math.Sign((anchor - anatomy.Centre).Dot(anatomy.Lateral));
        int painted = 0;
        LesionRegion.Visit(anatomy.Grid, anchor, lesion.SizeMm, (index, position, distance) =>
        {
            TissueClass tissue = anatomy.Tissue[index];
            if (!AnatomyModel.IsIntracranial(tissue) || tissue == TissueClass.Ventricle)
            {
                return;
            }

            double lateral = (position - anatomy.Centre).Dot(anatomy.Lateral);
            if (side != 0 && Math.Sign(lateral) != side)
            {
                return;
            }

            double allowed = lesion.ThicknessMm * (1 - Math.Pow(distance / lesion.SizeMm, exponent));
            if (anatomy.DepthMm[index] <= allowed)
            {
                painted += Set(hu, labels, index, lesion.DensityHu, label);
            }
        });
        return painted;
    }

    private static int PaintParenchymal(AnatomyModel anatomy, short[] hu, byte[] labels, LesionSpec lesion, byte label, Random random)
    {
        Vector3D axis = anatomy.AxisPoint(lesion.HeightFraction);
        Vector3D direction = anatomy.Direction(lesion.AzimuthDegrees);
        Vector3D wall = anatomy.InnerTable(axis, direction)
            ?? throw NoInnerTable(lesion);
        Vector3D centre = axis + ((wall - axis) * 0.45);
        double[] phases = [random.NextDouble() * 6.28, random.NextDouble() * 6.28, random.NextDouble() * 6.28];

        int painted = 0;
        LesionRegion.Visit(anatomy.Grid, centre, (lesion.SizeMm * 1.3) + EdemaRimMm, (index, position, distance) =>
        {
            if (!AnatomyModel.IsIntracranial(anatomy.Tissue[index]) || anatomy.DepthMm[index] < ParenchymalMinimumDepthMm)
            {
                return;
            }

            Vector3D offset = position - centre;
            double azimuth = Math.Atan2(offset.Y, offset.X);
            double elevation = distance < 1e-9 ? 0 : Math.Asin(Math.Clamp(offset.Z / distance, -1, 1));
            double boundary = lesion.SizeMm * (1 + (0.18 * Math.Sin((3 * azimuth) + phases[0]) * Math.Cos((2 * elevation) + phases[1]))
                + (0.08 * Math.Sin((5 * azimuth) + (3 * elevation) + phases[2])));
            if (distance <= boundary)
            {
                painted += Set(hu, labels, index, lesion.DensityHu, label);
            }
            else if (distance <= boundary + EdemaRimMm && labels[index] == 0 && AnatomyModel.IsBrainTissue(anatomy.Tissue[index]))
            {
                hu[index] -= EdemaDropHu;
            }
        });
        return painted;
    }

    /// <summary>Fills voxels of one tissue class near the anchor: CSF spaces for subarachnoid blood, the dependent ventricle for intraventricular.</summary>
    private static int PaintInTissue(AnatomyModel anatomy, short[] hu, byte[] labels, LesionSpec lesion, byte label, TissueClass tissue, Vector3D anchor, bool dependentOnly)
    {
        int painted = 0;
        LesionRegion.Visit(anatomy.Grid, anchor, lesion.SizeMm, (index, position, _) =>
        {
            if (anatomy.Tissue[index] != tissue)
            {
                return;
            }

            // Patients lie supine, so blood in the ventricles settles posteriorly.
            if (dependentOnly && (position - anchor).Dot(anatomy.Posterior) < -0.2 * lesion.SizeMm)
            {
                return;
            }

            painted += Set(hu, labels, index, lesion.DensityHu, label);
        });
        return painted;
    }

    private static Vector3D InnerTableAnchor(AnatomyModel anatomy, LesionSpec lesion) =>
        anatomy.InnerTable(anatomy.AxisPoint(lesion.HeightFraction), anatomy.Direction(lesion.AzimuthDegrees))
        ?? throw NoInnerTable(lesion);

    /// <summary>The centroid of the ventricle voxels on the lesion's side, within its size of the requested height.</summary>
    private static Vector3D VentricleAnchor(AnatomyModel anatomy, LesionSpec lesion)
    {
        Vector3D axis = anatomy.AxisPoint(lesion.HeightFraction);
        Vector3D direction = anatomy.Direction(lesion.AzimuthDegrees);
        double side = Math.Sign(direction.Dot(anatomy.Lateral));
        var sum = new Vector3D(0, 0, 0);
        int count = 0;
        LesionRegion.Visit(anatomy.Grid, axis, Math.Max(lesion.SizeMm, 30), (index, position, _) =>
        {
            if (anatomy.Tissue[index] == TissueClass.Ventricle
                && (side == 0 || Math.Sign((position - anatomy.Centre).Dot(anatomy.Lateral)) == side))
            {
                sum += position;
                count++;
            }
        });

        if (count == 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No ventricle found near height fraction {lesion.HeightFraction:0.##} at azimuth {lesion.AzimuthDegrees:0} degrees; move the intraventricular lesion towards the ventricles (height about 0.4 to 0.7)."));
        }

        return sum * (1.0 / count);
    }

    private static int Set(short[] hu, byte[] labels, int index, double densityHu, byte label)
    {
        hu[index] = (short)Math.Round(densityHu);
        bool added = labels[index] == 0;
        labels[index] = label;
        return added ? 1 : 0;
    }

    private static InvalidOperationException NoInnerTable(LesionSpec lesion) => new(string.Create(CultureInfo.InvariantCulture,
        $"No inner table of the skull found at azimuth {lesion.AzimuthDegrees:0} degrees and height fraction {lesion.HeightFraction:0.##}; choose a height within the skull."));
}
