using System.Buffers;
using System.Globalization;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Imaging.Volumes;

/// <summary>
/// Loads the selected series into an <see cref="HuVolume"/>, decoding each instance straight into its slice of
/// the volume (stored value times slope plus intercept, padding mapped to -1024 HU), so no second copy exists.
/// </summary>
public static class HuVolumeLoader
{
    public static HuVolume Load(
        IInstanceSource source, SeriesGeometry geometry, IReadOnlyList<InstanceHeader> instances,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(instances);
        short[] voxels = GC.AllocateUninitializedArray<short>(checked(instances.Count * geometry.Rows * geometry.Columns));
        DecodeSlices(source, instances, geometry.Rows, geometry.Columns, voxels, progress, cancellationToken);
        return new HuVolume(geometry, instances, voxels);
    }

    /// <summary>
    /// Decodes <paramref name="instances"/> in order into consecutive slices of <paramref name="voxels"/>, which
    /// holds exactly their slices of <paramref name="rows"/> x <paramref name="columns"/>. Loading a series in
    /// chunks uses it for each chunk.
    /// </summary>
    public static void DecodeSlices(
        IInstanceSource source, IReadOnlyList<InstanceHeader> instances, int rows, int columns, short[] voxels,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(voxels);
        int sliceLength = rows * columns;
        if (voxels.LongLength != (long)instances.Count * sliceLength)
        {
            throw new ArgumentException($"{voxels.LongLength} voxels do not hold {instances.Count} slices of {rows}x{columns}.", nameof(voxels));
        }

        int done = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            // Each thread reads Pixel Data into one pooled buffer, so a large array per slice does not wait for
            // a full garbage collection; that keeps peak memory near the volume's own size.
            Parallel.For(
                0,
                instances.Count,
                parallel,
                () => ArrayPool<byte>.Shared.Rent(sliceLength * sizeof(short)),
                (index, _, buffer) =>
                {
                    DecodeSlice(source, instances[index], rows, columns, voxels.AsSpan(index * sliceLength, sliceLength), buffer);
                    progress?.Report(Interlocked.Increment(ref done));
                    return buffer;
                },
                buffer => ArrayPool<byte>.Shared.Return(buffer));
        }
        catch (AggregateException error) when (error.InnerExceptions.Count > 0)
        {
            // Surface the first slice's own exception (a DicomDataException naming the instance), not the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private static void DecodeSlice(IInstanceSource source, InstanceHeader instance, int rows, int columns, Span<short> slice, byte[] pixelBuffer)
    {
        DicomFile file;
        using (Stream stream = source.Open(instance.Location))
        {
            file = DicomReader.Read(stream, new DicomReaderOptions { PixelDataBuffer = pixelBuffer });
        }

        PixelFrameReader reader = DicomPixelData.CreateReader(file);
        if (reader.Description.Rows != rows || reader.Description.Columns != columns)
        {
            throw new DicomPixelDataException(string.Create(CultureInfo.InvariantCulture,
                $"Instance {instance.SopInstanceUid} has {reader.Description.Rows}x{reader.Description.Columns} pixels but its series is {rows}x{columns}."));
        }

        if (reader.Description.NumberOfFrames != 1)
        {
            // TODO: Enhanced CT multi-frame instances need per-frame positions from the functional groups.
            throw new DicomPixelDataException(string.Create(CultureInfo.InvariantCulture,
                $"Instance {instance.SopInstanceUid} has {reader.Description.NumberOfFrames} frames; multi-frame CT is not supported yet, so export the series as single-frame CT images."));
        }

        reader.DecodeFrameToHounsfield(0, DicomPixelData.ReadRescale(file.Dataset), slice);
    }
}
