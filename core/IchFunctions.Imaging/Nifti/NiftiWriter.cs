using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Nifti;

/// <summary>
/// Writes volumes aligned with a DICOM series as NIfTI-1 single files (.nii, or .nii.gz when the path ends in
/// .gz), as public hemorrhage datasets ship their masks. Voxel (i, j, k) is column i, row j, slice k of the
/// series in anatomical order. The affine maps it to the DICOM pixel centre, converted from LPS to RAS.
/// </summary>
public static class NiftiWriter
{
    private const int HeaderSize = 348;
    private const int VoxelOffset = 352;
    private const short DatatypeUInt8 = 2;
    private const short DatatypeInt16 = 4;
    private const short CodeScannerAnatomical = 1;
    private const byte UnitsMillimetre = 2;

    /// <summary>Whether one affine describes the series: its slices are evenly spaced (within 0.01 mm).</summary>
    public static bool CanDescribe(SeriesGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        IReadOnlyList<double> spacings = geometry.Spacings;
        return spacings.Count == 0 || spacings.Max() - spacings.Min() <= 0.01;
    }

    /// <summary>Writes a uint8 volume, for example a label mask, indexed [slice, row, column].</summary>
    public static void WriteUInt8(string path, SeriesGeometry geometry, ReadOnlySpan<byte> voxels) =>
        Write(path, geometry, voxels, DatatypeUInt8, 8);

    /// <summary>Writes an int16 volume, for example Hounsfield units, indexed [slice, row, column].</summary>
    public static void WriteInt16(string path, SeriesGeometry geometry, ReadOnlySpan<short> voxels)
    {
        var bytes = new byte[voxels.Length * 2];
        for (int i = 0; i < voxels.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), voxels[i]);
        }

        Write(path, geometry, bytes, DatatypeInt16, 16);
    }

    /// <summary>
    /// Returns the 3x4 voxel-to-RAS affine of the series (rows of the NIfTI sform). Throws when the slices are
    /// not evenly spaced, because one affine cannot describe them.
    /// </summary>
    public static double[,] Affine(SeriesGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Vector3D origin = geometry.Slices[0].Position;
        Vector3D columnStep = geometry.Slices[0].RowDirection * geometry.ColumnSpacing;
        Vector3D rowStep = geometry.Slices[0].ColumnDirection * geometry.RowSpacing;
        Vector3D sliceStep = SliceStep(geometry);

        // LPS to RAS: negate x and y.
        double[] flip = [-1, -1, 1];
        var affine = new double[3, 4];
        for (int axis = 0; axis < 3; axis++)
        {
            affine[axis, 0] = flip[axis] * Component(columnStep, axis);
            affine[axis, 1] = flip[axis] * Component(rowStep, axis);
            affine[axis, 2] = flip[axis] * Component(sliceStep, axis);
            affine[axis, 3] = flip[axis] * Component(origin, axis);
        }

        return affine;
    }

    private static void Write(string path, SeriesGeometry geometry, ReadOnlySpan<byte> data, short datatype, short bitsPerVoxel)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(geometry);
        long expected = (long)geometry.Slices.Count * geometry.Rows * geometry.Columns * (bitsPerVoxel / 8);
        if (data.Length != expected)
        {
            throw new ArgumentException($"The volume has {data.Length} bytes but the geometry needs {expected}.", nameof(data));
        }

        byte[] header = BuildHeader(geometry, datatype, bitsPerVoxel);
        string temporary = path + ".partial";
        using (FileStream file = File.Create(temporary))
        using (Stream output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Optimal)
            : file)
        {
            output.Write(header);
            output.Write(new byte[VoxelOffset - HeaderSize]); // no extensions
            output.Write(data);
        }

        // Written under a temporary name first, so a failure never leaves a partial file at the final path.
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] BuildHeader(SeriesGeometry geometry, short datatype, short bitsPerVoxel)
    {
        double[,] affine = Affine(geometry);
        var header = new byte[HeaderSize];
        Span<byte> span = header;
        BinaryPrimitives.WriteInt32LittleEndian(span, HeaderSize);

        short[] dimensions = [3, (short)geometry.Columns, (short)geometry.Rows, (short)geometry.Slices.Count, 1, 1, 1, 1];
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(40 + (2 * i))..], dimensions[i]);
        }

        BinaryPrimitives.WriteInt16LittleEndian(span[70..], datatype);
        BinaryPrimitives.WriteInt16LittleEndian(span[72..], bitsPerVoxel);

        double sliceSpacing = SliceStep(geometry).Length;
        float[] pixelDimensions = [1, (float)geometry.ColumnSpacing, (float)geometry.RowSpacing, (float)sliceSpacing, 0, 0, 0, 0];
        for (int i = 0; i < pixelDimensions.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[(76 + (4 * i))..], pixelDimensions[i]);
        }

        BinaryPrimitives.WriteSingleLittleEndian(span[108..], VoxelOffset);
        BinaryPrimitives.WriteSingleLittleEndian(span[112..], 1); // scl_slope
        BinaryPrimitives.WriteSingleLittleEndian(span[116..], 0); // scl_inter
        span[123] = UnitsMillimetre;
        Encoding.ASCII.GetBytes("IchFunctions", span[148..]);

        // The sform carries the full affine, shear from gantry tilt included; qform stays unset (code 0).
        BinaryPrimitives.WriteInt16LittleEndian(span[252..], 0);
        BinaryPrimitives.WriteInt16LittleEndian(span[254..], CodeScannerAnatomical);
        for (int row = 0; row < 3; row++)
        {
            for (int column = 0; column < 4; column++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[(280 + (16 * row) + (4 * column))..], (float)affine[row, column]);
            }
        }

        Encoding.ASCII.GetBytes("n+1\0", span[344..]);
        return header;
    }

    private static Vector3D SliceStep(SeriesGeometry geometry)
    {
        if (geometry.Slices.Count == 1)
        {
            return geometry.Normal * geometry.SlabThicknesses[0];
        }

        IReadOnlyList<double> spacings = geometry.Spacings;
        if (!CanDescribe(geometry))
        {
            throw new InvalidOperationException(
                $"NIfTI needs evenly spaced slices, but the spacing varies from {spacings.Min():0.###} to {spacings.Max():0.###} mm; write a DICOM SEG for this series instead.");
        }

        return (geometry.Slices[^1].Position - geometry.Slices[0].Position) * (1.0 / (geometry.Slices.Count - 1));
    }

    private static double Component(Vector3D vector, int axis) => axis switch
    {
        0 => vector.X,
        1 => vector.Y,
        _ => vector.Z,
    };
}
