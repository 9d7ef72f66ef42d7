using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace IchFunctions.Imaging.Nifti;

/// <summary>A NIfTI-1 label mask: its dimensions (i = column, j = row, k = slice) and one byte per voxel, indexed [k, j, i].</summary>
public sealed record NiftiMask(int Columns, int Rows, int Slices, byte[] Voxels);

/// <summary>Reads NIfTI-1 single-file label masks (.nii or .nii.gz, little endian, uint8 or int16 labels).</summary>
public static class NiftiReader
{
    private const int HeaderSize = 348;

    /// <summary>Reads a mask; non-zero voxels are foreground. Throws <see cref="InvalidDataException"/> naming what is unsupported.</summary>
    public static NiftiMask ReadMask(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ReadAllBytes(path);
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadInt32LittleEndian(bytes) != HeaderSize)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a little-endian NIfTI-1 file (sizeof_hdr is not 348).");
        }

        string magic = System.Text.Encoding.ASCII.GetString(bytes, 344, 3);
        if (magic != "n+1")
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} has magic '{magic}'; only single-file NIfTI-1 (n+1) is read.");
        }

        short rank = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(40));
        int columns = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(42));
        int rows = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44));
        int slices = rank >= 3 ? BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(46)) : 1;
        short datatype = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(70));
        int offset = (int)BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(108));
        int bytesPerVoxel = datatype switch
        {
            2 => 1,   // uint8
            4 => 2,   // int16
            512 => 2, // uint16
            _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)} has NIfTI datatype {datatype}; masks must be uint8, int16 or uint16.")),
        };

        long count = (long)columns * rows * slices;
        if (columns <= 0 || rows <= 0 || slices <= 0 || offset < HeaderSize || offset + (count * bytesPerVoxel) > bytes.Length)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path)} declares {columns}x{rows}x{slices} voxels at offset {offset}, but holds {bytes.Length} bytes."));
        }

        var voxels = new byte[count];
        for (long i = 0; i < count; i++)
        {
            voxels[i] = bytesPerVoxel == 1
                ? bytes[offset + i]
                : (byte)(BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan((int)(offset + (i * 2)))) != 0 ? 1 : 0);
        }

        return new NiftiMask(columns, rows, slices, voxels);
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return File.ReadAllBytes(path);
        }

        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
