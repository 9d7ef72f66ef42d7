using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// The analytic head of the synthetic exams: an ellipsoidal scalp surface with layers below it, a gyral
/// pattern for the sulci, a falx, lateral and third ventricles and deep grey nuclei. Sizes vary with the seed
/// within the range of adult heads.
/// </summary>
internal sealed class HeadShape
{
    private const double ScalpMm = 5;
    private const double CsfLayerMm = 1.5;
    private const double CortexMm = 3.5;
    private const double SulcusDepthMm = 11;

    private readonly double _halfWidth;
    private readonly double _halfLength;
    private readonly double _halfHeight;
    private readonly double _skullMm;
    private readonly double[] _gyralPhases;

    public HeadShape(Random random)
    {
        _halfWidth = 72 * Scale(random, 0.06);
        _halfLength = 92 * Scale(random, 0.06);
        _halfHeight = 88 * Scale(random, 0.05);
        _skullMm = 6.5 * Scale(random, 0.15);
        _gyralPhases = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 * Math.PI).ToArray();
    }

    /// <summary>Depth of the inner table below the scalp surface, in mm.</summary>
    public double InnerTableDepthMm => ScalpMm + _skullMm;

    /// <summary>
    /// Classifies a point given in head coordinates (x to the left, y posterior, z up, mm from the head centre)
    /// and returns its depth below the inner table (0 outside the skull).
    /// </summary>
    public TissueClass Classify(Vector3D p, out double depthBelowInnerTable)
    {
        depthBelowInnerTable = 0;
        double norm = Math.Sqrt(Square(p.X / _halfWidth) + Square(p.Y / _halfLength) + Square(p.Z / _halfHeight));
        double radius = p.Length;
        double depth = norm < 1e-9 ? _halfWidth : (radius / norm) - radius;
        if (norm >= 1)
        {
            return TissueClass.Air;
        }

        if (depth < ScalpMm)
        {
            return TissueClass.Scalp;
        }

        if (depth < InnerTableDepthMm)
        {
            return TissueClass.Bone;
        }

        depthBelowInnerTable = depth - InnerTableDepthMm;
        return ClassifyIntracranial(p, depthBelowInnerTable);
    }

    /// <summary>Diploe between the outer and inner tables is less dense than the tables themselves.</summary>
    public double BoneHu(Vector3D p)
    {
        double norm = Math.Sqrt(Square(p.X / _halfWidth) + Square(p.Y / _halfLength) + Square(p.Z / _halfHeight));
        double radius = p.Length;
        double depth = (radius / norm) - radius - ScalpMm;
        double fromTable = Math.Min(depth, _skullMm - depth);
        return fromTable < 1.8 ? 1350 : 650;
    }

    private TissueClass ClassifyIntracranial(Vector3D p, double depth)
    {
        if (IsVentricle(p))
        {
            return TissueClass.Ventricle;
        }

        // The falx and the interhemispheric fissure: CSF in the midline, from the vertex down to the corpus callosum.
        if (Math.Abs(p.X) < 1.2 && (depth < 35 || p.Z > 25))
        {
            return TissueClass.Csf;
        }

        if (depth < CsfLayerMm)
        {
            return TissueClass.Csf;
        }

        if (depth < SulcusDepthMm && IsSulcus(p, depth))
        {
            return TissueClass.Csf;
        }

        if (depth < CsfLayerMm + CortexMm + (SulcusDepthMm * GyralDepthShare(p)))
        {
            return TissueClass.GreyMatter;
        }

        if (IsDeepGrey(p))
        {
            return TissueClass.DeepGrey;
        }

        return TissueClass.WhiteMatter;
    }

    private bool IsSulcus(Vector3D p, double depth)
    {
        double width = 0.10 * (1 - (depth / SulcusDepthMm)) + 0.02;
        return Math.Abs(GyralField(p)) < width;
    }

    /// <summary>Cortex follows the sulci down, so grey matter is thicker next to them.</summary>
    private double GyralDepthShare(Vector3D p) => Math.Max(0, 0.35 - Math.Abs(GyralField(p)));

    private double GyralField(Vector3D p)
    {
        double azimuth = Math.Atan2(p.Y, p.X);
        double elevation = Math.Atan2(p.Z, Math.Sqrt((p.X * p.X) + (p.Y * p.Y)));
        return Math.Sin((11 * azimuth) + _gyralPhases[0] + (2.2 * Math.Sin((3 * elevation) + _gyralPhases[1])))
            * Math.Cos((9 * elevation) + _gyralPhases[2] + (1.6 * Math.Sin((4 * azimuth) + _gyralPhases[3])));
    }

    private static bool IsVentricle(Vector3D p)
    {
        // Lateral ventricles: two curved ellipsoids beside the midline; the third ventricle: a thin midline slit.
        double curve = 0.004 * Square(p.Y);
        double lateralOffset = 9 + (0.06 * p.Y);
        bool left = Square((p.X - lateralOffset) / 5.5) + Square((p.Y - 2) / 26) + Square((p.Z - 18 + curve) / 8) < 1;
        bool right = Square((p.X + lateralOffset) / 5.5) + Square((p.Y - 2) / 26) + Square((p.Z - 18 + curve) / 8) < 1;
        bool third = Math.Abs(p.X) < 1.8 && Square((p.Y + 2) / 14) + Square((p.Z - 2) / 9) < 1;
        return left || right || third;
    }

    private static bool IsDeepGrey(Vector3D p) =>
        Square((Math.Abs(p.X) - 19) / 9) + Square((p.Y + 2) / 16) + Square((p.Z - 6) / 10) < 1;

    private static double Scale(Random random, double spread) => 1 + (((random.NextDouble() * 2) - 1) * spread);

    private static double Square(double value) => value * value;
}
