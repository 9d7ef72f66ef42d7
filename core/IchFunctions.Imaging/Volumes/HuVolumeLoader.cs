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
        int sliceLength = geometry.Rows * geometry.Columns;
        short[] voxels = GC.AllocateUninitializedArray<short>(checked(instances.Count * sliceLength));
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
                    DecodeSlice(source, instances[index], geometry, voxels.AsSpan(index * sliceLength, sliceLength), buffer);
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

        return new HuVolume(geometry, instances, voxels);
    }

    private static void DecodeSlice(IInstanceSource source, InstanceHeader instance, SeriesGeometry geometry, Span<short> slice, byte[] pixelBuffer)
    {
        DicomFile file;
        using (Stream stream = source.Open(instance.Location))
        {
            file = DicomReader.Read(stream, new DicomReaderOptions { PixelDataBuffer = pixelBuffer });
        }

        PixelFrameReader reader = DicomPixelData.CreateReader(file);
        if (reader.Description.Rows != geometry.Rows || reader.Description.Columns != geometry.Columns)
        {
            throw new DicomPixelDataException(string.Create(CultureInfo.InvariantCulture,
                $"Instance {instance.SopInstanceUid} has {reader.Description.Rows}x{reader.Description.Columns} pixels but its series is {geometry.Rows}x{geometry.Columns}."));
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
