using IchFunctions.Dicom;
using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>
/// The image series a SEG or SR is derived from: each slice's header (a header-only read is enough) in the
/// anatomical order of <see cref="Geometry"/>. Mask and probability arrays are indexed [slice, row, column]
/// in that order.
/// </summary>
public sealed class SourceSeries
{
    private SourceSeries(IReadOnlyList<DicomDataset> headers, SeriesGeometry geometry)
    {
        Headers = headers;
        Geometry = geometry;
    }

    /// <summary>Headers of the source slices, in the order of <see cref="SeriesGeometry.Slices"/>.</summary>
    public IReadOnlyList<DicomDataset> Headers { get; }

    public SeriesGeometry Geometry { get; }

    /// <summary>The first slice's header, which holds the patient, study, series and equipment attributes the outputs copy.</summary>
    public DicomDataset First => Headers[0];

    public string StudyInstanceUid => RequiredUid(First, OutputTags.StudyInstanceUid, "Study Instance UID");

    public string SeriesInstanceUid => RequiredUid(First, OutputTags.SeriesInstanceUid, "Series Instance UID");

    public string FrameOfReferenceUid => RequiredUid(First, OutputTags.FrameOfReferenceUid, "Frame of Reference UID");

    /// <summary>
    /// Orders source headers by Image Position (Patient) along the slice normal and checks that they form one
    /// series on one grid. Throws <see cref="ArgumentException"/> naming the offending UID or value otherwise.
    /// </summary>
    public static SourceSeries FromHeaders(IEnumerable<DicomDataset> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        List<DicomDataset> list = [.. headers];
        if (list.Count == 0)
        {
            throw new ArgumentException("The source series has no instances; pass the headers of every slice the mask covers.", nameof(headers));
        }

        CheckSameValue(list, OutputTags.StudyInstanceUid, "Study Instance UID");
        CheckSameValue(list, OutputTags.SeriesInstanceUid, "Series Instance UID");
        CheckSameValue(list, OutputTags.FrameOfReferenceUid, "Frame of Reference UID");

        var byUid = new Dictionary<string, DicomDataset>(StringComparer.Ordinal);
        var slices = new List<SliceGeometry>(list.Count);
        foreach (DicomDataset header in list)
        {
            SliceGeometry slice = SliceGeometryFromHeader(header);
            if (!byUid.TryAdd(slice.SopInstanceUid, header))
            {
                throw new ArgumentException($"SOP Instance UID {slice.SopInstanceUid} occurs twice in the source series; pass each instance once.", nameof(headers));
            }

            slices.Add(slice);
        }

        GeometryResult result = SeriesGeometryBuilder.Build(slices);
        if (result.Stack is null)
        {
            throw new ArgumentException($"The source slices do not form one volume: {result.Rejection}", nameof(headers));
        }

        if (result.Stack.Slices.Count != list.Count)
        {
            throw new ArgumentException(
                $"{list.Count - result.Stack.Slices.Count} of the {list.Count} source slices share a position with another slice; "
                + "remove the duplicates so every frame of the output refers to one source slice.", nameof(headers));
        }

        return new SourceSeries([.. result.Stack.Slices.Select(slice => byUid[slice.SopInstanceUid])], result.Stack);
    }

    /// <summary>Reads the Image Plane attributes of one header into a <see cref="SliceGeometry"/>.</summary>
    public static SliceGeometry SliceGeometryFromHeader(DicomDataset header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string uid = RequiredUid(header, OutputTags.SopInstanceUid, "SOP Instance UID");
        double[] position = header.GetDoubles(OutputTags.ImagePositionPatient);
        double[] orientation = header.GetDoubles(OutputTags.ImageOrientationPatient);
        double[] spacing = header.GetDoubles(OutputTags.PixelSpacing);
        int? rows = header.GetInt32(OutputTags.Rows);
        int? columns = header.GetInt32(OutputTags.Columns);
        if (position.Length != 3 || orientation.Length != 6 || spacing.Length != 2 || rows is not > 0 || columns is not > 0)
        {
            throw new ArgumentException(
                $"Instance {uid} lacks a complete Image Plane module (Image Position (Patient) has {position.Length} of 3 values, "
                + $"Image Orientation (Patient) {orientation.Length} of 6, Pixel Spacing {spacing.Length} of 2, Rows {rows}, Columns {columns}).",
                nameof(header));
        }

        return new SliceGeometry(
            uid,
            new Vector3D(position[0], position[1], position[2]),
            new Vector3D(orientation[0], orientation[1], orientation[2]),
            new Vector3D(orientation[3], orientation[4], orientation[5]),
            spacing[0],
            spacing[1],
            header.GetDouble(OutputTags.SliceThickness),
            rows.Value,
            columns.Value,
            header.GetInt32(OutputTags.InstanceNumber));
    }

    private static void CheckSameValue(List<DicomDataset> headers, DicomTag tag, string name)
    {
        string first = RequiredUid(headers[0], tag, name);
        foreach (DicomDataset header in headers)
        {
            string value = RequiredUid(header, tag, name);
            if (value != first)
            {
                throw new ArgumentException($"The source instances are not one series: {name} {value} differs from {first}.", nameof(headers));
            }
        }
    }

    private static string RequiredUid(DicomDataset header, DicomTag tag, string name)
    {
        string? value = header.GetString(tag);
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"A source instance has no {name} {tag}; outputs cannot reference it.", nameof(header));
        }

        return value;
    }
}
