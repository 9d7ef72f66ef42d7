using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Uids;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Nifti;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;

namespace IchFunctions.Imaging.Synthetic;

/// <summary>
/// Writes a synthetic exam as files. The CT Image Storage series is Explicit VR Little Endian with signed
/// 16-bit Hounsfield units and Rescale Intercept 0. Beside it go the ground-truth label mask as NIfTI-1, the
/// JSON truth sidecar and, by default, the ground truth as a DICOM SEG over the series. UIDs are name-based from the seed and a
/// hash of the voxels, so the same exam always gets the same UIDs and different exams never share them.
/// </summary>
public static class SyntheticSeriesWriter
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string SeriesFolderName = "ct";
    public const string MaskFileName = "truth_mask.nii.gz";
    public const string SidecarFileName = "truth.json";
    public const string SegmentationFileName = "truth_seg.dcm";

    /// <summary>The generator as the algorithm of the truth SEG; its outputs are never for clinical use.</summary>
    public static readonly AlgorithmIdentification TruthAlgorithm = new("SyntheticExamGenerator", "1", NotForClinicalUse: true);

    /// <summary>Creates the CT data sets, pixel data included, one per slice in anatomical order.</summary>
    public static IReadOnlyList<DicomDataset> CreateSeries(SyntheticExam exam, int seed, SyntheticSeriesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(exam);
        options ??= SyntheticSeriesOptions.Default;
        string root = UidRoot(exam, seed);
        var series = new List<DicomDataset>(exam.Geometry.Slices.Count);
        for (int slice = 0; slice < exam.Geometry.Slices.Count; slice++)
        {
            series.Add(SyntheticCtHeader.Create(exam, slice, seed, root, options, SlicePixels(exam, slice)));
        }

        return series;
    }

    /// <summary>
    /// Writes the exam into a new folder (which must not exist or be empty). Everything is written to a
    /// temporary folder beside it first and moved into place at the end, so a failure leaves no partial exam.
    /// </summary>
    public static async Task<SyntheticSeriesFiles> WriteAsync(SyntheticExam exam, int seed, string folder, SyntheticSeriesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exam);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= SyntheticSeriesOptions.Default;
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new IOException($"The exam folder {folder} is not empty; choose a new folder so no earlier exam is mixed in.");
        }

        string temporary = $"{folder.TrimEnd(Path.DirectorySeparatorChar)}.{Guid.NewGuid():N}.tmp";
        try
        {
            SyntheticSeriesFiles written = await WriteIntoAsync(exam, seed, temporary, options, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder);
            }

            Directory.Move(temporary, folder);
            return written with
            {
                Folder = folder,
                SliceFiles = [.. written.SliceFiles.Select(path => Path.Combine(folder, Path.GetRelativePath(temporary, path)))],
                MaskFile = written.MaskFile is null ? null : Path.Combine(folder, MaskFileName),
                SidecarFile = Path.Combine(folder, SidecarFileName),
                SegmentationFile = written.SegmentationFile is null ? null : Path.Combine(folder, SegmentationFileName),
            };
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static async Task<SyntheticSeriesFiles> WriteIntoAsync(SyntheticExam exam, int seed, string folder, SyntheticSeriesOptions options, CancellationToken cancellationToken)
    {
        string seriesFolder = Path.Combine(folder, SeriesFolderName);
        Directory.CreateDirectory(seriesFolder);
        IReadOnlyList<DicomDataset> series = CreateSeries(exam, seed, options);
        var files = new List<string>(series.Count);
        var headers = new List<DicomDataset>(series.Count);
        for (int slice = 0; slice < series.Count; slice++)
        {
            string path = Path.Combine(seriesFolder, string.Create(CultureInfo.InvariantCulture, $"IM{slice + 1:D4}.dcm"));
            await DicomWriter.WriteFileAsync(path, new DicomFile(new DicomDataset(), series[slice], TransferSyntaxUids.ExplicitVRLittleEndian), cancellationToken: cancellationToken).ConfigureAwait(false);
            files.Add(path);
            headers.Add(new DicomDataset(series[slice].Where(element => element.Tag != DicomTags.PixelData)));
        }

        // NIfTI needs evenly spaced slices; a real background such as a mixed-thickness series keeps its truth in the SEG only.
        bool writeMask = NiftiWriter.CanDescribe(exam.Geometry);
        if (!writeMask && !options.WriteTruthSegmentation)
        {
            throw new InvalidOperationException("The series is not evenly spaced, so its truth cannot be a NIfTI mask; enable WriteTruthSegmentation to keep it as a DICOM SEG.");
        }

        if (writeMask)
        {
            NiftiWriter.WriteUInt8(Path.Combine(folder, MaskFileName), exam.Geometry, exam.Labels);
        }

        string truthFile = writeMask ? MaskFileName : SegmentationFileName;
        await File.WriteAllTextAsync(Path.Combine(folder, SidecarFileName), TruthSidecar.From(exam, seed, truthFile).ToJson(), cancellationToken).ConfigureAwait(false);

        string? segmentationFile = null;
        if (options.WriteTruthSegmentation)
        {
            segmentationFile = Path.Combine(folder, SegmentationFileName);
            DicomFile seg = CreateTruthSegmentation(exam, headers, options);
            await DicomWriter.WriteFileAsync(segmentationFile, seg, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new SyntheticSeriesFiles(folder, files, headers, writeMask ? Path.Combine(folder, MaskFileName) : null, Path.Combine(folder, SidecarFileName), segmentationFile);
    }

    /// <summary>
    /// Creates the ground truth as a BINARY SEG with one hemorrhage segment (every lesion label), over the
    /// series written from <paramref name="headers"/>.
    /// </summary>
    public static DicomFile CreateTruthSegmentation(SyntheticExam exam, IEnumerable<DicomDataset> headers, SyntheticSeriesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(exam);
        options ??= SyntheticSeriesOptions.Default;
        SourceSeries source = SourceSeries.FromHeaders(headers);
        var segmentationOptions = new SegmentationOptions { SegmentLabel = "Hemorrhage (simulated ground truth)", AlgorithmFamily = Codes.SimulatedGroundTruth };
        return SegmentationWriter.CreateBinary(source, exam.Labels, TruthAlgorithm, options.AcquisitionTime, segmentationOptions);
    }

    /// <summary>A UID root from the seed and a SHA-256 of the HU voxels, so equal exams share UIDs and others never do.</summary>
    private static string UidRoot(SyntheticExam exam, int seed)
    {
        byte[] hash = SHA256.HashData(MemoryMarshal.AsBytes(exam.Hu.AsSpan()));
        return string.Create(CultureInfo.InvariantCulture, $"ichfunctions|synthetic|{seed}|{Convert.ToHexStringLower(hash.AsSpan(0, 16))}");
    }

    private static byte[] SlicePixels(SyntheticExam exam, int slice)
    {
        int length = exam.Geometry.Rows * exam.Geometry.Columns;
        ReadOnlySpan<short> hu = exam.Hu.AsSpan(slice * length, length);
        var bytes = new byte[length * 2];
        for (int i = 0; i < length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), hu[i]);
        }

        return bytes;
    }

    internal static string Uid(string root, string part) => DicomUidGenerator.FromName($"{root}|{part}");
}
