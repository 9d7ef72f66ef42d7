using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Support;

/// <summary>Source series and masks that the output tests share.</summary>
internal static class OutputTestData
{
    public const string GeHeadTilt = "dcm_qa_ct/GE_head_tilt";
    public const string PhilipsPhantom = "dcm_qa_ct/Philips_head_phantom/S2010_axial_5mm";

    /// <summary>A fixed creation time, so that repeated writes are byte-identical.</summary>
    public static readonly DateTimeOffset CreatedAt = new(2026, 12, 4, 12, 30, 15, TimeSpan.Zero);

    public static readonly AlgorithmIdentification Algorithm = new("PatchFCN-DRN38-demo", "0.1.0", NotForClinicalUse: true);

    /// <summary>Reads the headers (stopping before Pixel Data) of every file in a test data folder and orders them.</summary>
    public static SourceSeries ReadSource(string relativeFolder)
    {
        string folder = TestData.Require(relativeFolder);
        var options = new DicomReaderOptions { StopBeforePixelData = true };
        return SourceSeries.FromHeaders(Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(path => DicomReader.ReadFile(path, options).Dataset));
    }

    /// <summary>
    /// Returns a mask [slice, row, column] with an ellipsoid "bleed" of the given radii in mm, centred in the
    /// volume's middle slice and offset from the image centre, measured in patient space so tilt is honoured.
    /// Slices the ellipsoid misses stay empty.
    /// </summary>
    public static byte[] EllipsoidMask(SeriesGeometry geometry, double radiusInPlaneMm, double radiusNormalMm)
    {
        int rows = geometry.Rows, columns = geometry.Columns;
        SliceGeometry middle = geometry.Slices[geometry.Slices.Count / 2];
        Vector3D centre = middle.PixelCentre(rows * 0.4, columns * 0.6);
        var mask = new byte[geometry.Slices.Count * rows * columns];
        for (int slice = 0; slice < geometry.Slices.Count; slice++)
        {
            SliceGeometry plane = geometry.Slices[slice];
            for (int row = 0; row < rows; row++)
            {
                for (int column = 0; column < columns; column++)
                {
                    Vector3D offset = plane.PixelCentre(row, column) - centre;
                    double along = offset.Dot(geometry.Normal);
                    Vector3D inPlane = offset - (geometry.Normal * along);
                    double r = (inPlane.Dot(inPlane) / (radiusInPlaneMm * radiusInPlaneMm)) + (along * along / (radiusNormalMm * radiusNormalMm));
                    if (r <= 1)
                    {
                        mask[(((slice * rows) + row) * columns) + column] = 1;
                    }
                }
            }
        }

        return mask;
    }

    /// <summary>Writes a data set as a Part 10 file and returns its bytes.</summary>
    public static byte[] ToBytes(DicomFile file)
    {
        using var stream = new MemoryStream();
        DicomWriter.Write(stream, file);
        return stream.ToArray();
    }
}
