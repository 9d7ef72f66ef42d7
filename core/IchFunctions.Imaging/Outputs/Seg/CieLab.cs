namespace IchFunctions.Imaging.Outputs.Seg;

/// <summary>
/// Converts sRGB colours to the scaled CIELab values of Recommended Display CIELab Value (0062,000D):
/// L* 0..100 and a*, b* -128..127 mapped linearly to 0..65535 (PS3.3 section C.10.7.1.1), D65 white point.
/// </summary>
public static class CieLab
{
    public static ushort[] FromRgb(byte red, byte green, byte blue)
    {
        double r = Linear(red / 255.0), g = Linear(green / 255.0), b = Linear(blue / 255.0);
        double x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / 0.95047;
        double y = (0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b);
        double z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / 1.08883;

        double fx = F(x), fy = F(y), fz = F(z);
        double lightness = (116 * fy) - 16;
        double a = 500 * (fx - fy);
        double bStar = 200 * (fy - fz);
        return [Scale(lightness / 100), Scale((a + 128) / 255), Scale((bStar + 128) / 255)];
    }

    private static double Linear(double channel) => channel <= 0.04045 ? channel / 12.92 : Math.Pow((channel + 0.055) / 1.055, 2.4);

    private static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;

    private static ushort Scale(double unit) => (ushort)Math.Round(Math.Clamp(unit, 0, 1) * 65535);
}
