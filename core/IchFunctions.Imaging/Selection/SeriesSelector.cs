using IchFunctions.Imaging.Geometry;

namespace IchFunctions.Imaging.Selection;

/// <summary>
/// Groups instances into series, keeps only axial noncontrast head CT, ranks the eligible series and picks
/// one. Every series gets a record saying why it was selected, passed over or rejected.
/// </summary>
public static class SeriesSelector
{
    public static SelectionResult Select(IEnumerable<InstanceHeader> instances, SelectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        options ??= SelectionOptions.Default;

        var rejected = new List<SeriesRecord>();
        var eligible = new List<Candidate>();
        foreach (IGrouping<string, InstanceHeader> series in instances.GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal))
        {
            Evaluate(series.ToList(), options, eligible, rejected);
        }

        eligible.Sort((a, b) => a.Key.CompareTo(b.Key));
        var records = new List<SeriesRecord>(eligible.Count + rejected.Count);
        for (int i = 0; i < eligible.Count; i++)
        {
            Candidate candidate = eligible[i];
            string reason = i == 0
                ? SeriesRanking.ExplainSelection(candidate.First, candidate.Geometry.Slices.Count, eligible.Count, options)
                : $"Eligible, but ranked {i + 1} of {eligible.Count} after series {Describe(eligible[0].First)}.";
            records.Add(candidate.Record with { Decision = i == 0 ? SeriesDecision.Selected : SeriesDecision.Eligible, Reason = reason });
        }

        records.AddRange(rejected.OrderBy(r => r.SeriesNumber ?? int.MaxValue).ThenBy(r => r.SeriesInstanceUid, StringComparer.Ordinal));
        Candidate? selected = eligible.Count > 0 ? eligible[0] : null;
        return new SelectionResult
        {
            Series = records,
            SelectedGeometry = selected?.Geometry,
            SelectedInstances = selected is null ? null : OrderLike(selected.Instances, selected.Geometry),
        };
    }

    private static void Evaluate(List<InstanceHeader> instances, SelectionOptions options, List<Candidate> eligible, List<SeriesRecord> rejected)
    {
        InstanceHeader first = instances.OrderBy(i => i.InstanceNumber ?? int.MaxValue).First();
        SeriesRecord record = NewRecord(first, instances.Count);

        string? reason = SeriesRules.RejectByHeader(first, instances.Count, options);
        if (reason is not null)
        {
            rejected.Add(record with { Reason = reason });
            return;
        }

        GeometryResult geometry = SeriesGeometryBuilder.Build(instances.Select(ToSliceGeometry));
        if (geometry.IsRejected)
        {
            rejected.Add(record with { Reason = geometry.Rejection! });
            return;
        }

        var warnings = new List<string>();
        reason = SeriesRules.RejectByGeometry(first, geometry.Stack!, options, warnings);
        string? contrast = SeriesRules.FindContrast(first);
        if (reason is null && contrast is not null)
        {
            if (options.Contrast == ContrastPolicy.Reject)
            {
                reason = $"Contrast-enhanced: {contrast}; the model is for noncontrast CT.";
            }
            else
            {
                warnings.Add($"Contrast-enhanced ({contrast}); the model is for noncontrast CT, so results may be unreliable.");
            }
        }

        if (reason is not null)
        {
            rejected.Add(record with { Reason = reason, Warnings = warnings });
            return;
        }

        int sliceCount = geometry.Stack!.Slices.Count;
        eligible.Add(new Candidate(first, instances, geometry.Stack, record with { Warnings = warnings, Reason = "" }, SeriesRanking.Key(first, sliceCount, options)));
    }

    private static SeriesRecord NewRecord(InstanceHeader first, int instanceCount) => new()
    {
        SeriesInstanceUid = first.SeriesInstanceUid,
        SeriesNumber = first.SeriesNumber,
        SeriesDescription = first.SeriesDescription,
        Modality = first.Modality,
        SopClass = SopClasses.Describe(first.SopClassUid),
        InstanceCount = instanceCount,
        SliceThicknessMm = first.SliceThickness,
        ConvolutionKernel = first.ConvolutionKernel.Count > 0 ? string.Join('\\', first.ConvolutionKernel) : null,
        Decision = SeriesDecision.Rejected,
        Reason = "",
    };

    private static SliceGeometry ToSliceGeometry(InstanceHeader header) => new(
        header.SopInstanceUid,
        new Vector3D(header.ImagePositionPatient[0], header.ImagePositionPatient[1], header.ImagePositionPatient[2]),
        new Vector3D(header.ImageOrientationPatient[0], header.ImageOrientationPatient[1], header.ImageOrientationPatient[2]),
        new Vector3D(header.ImageOrientationPatient[3], header.ImageOrientationPatient[4], header.ImageOrientationPatient[5]),
        header.PixelSpacing[0],
        header.PixelSpacing[1],
        header.SliceThickness,
        header.Rows!.Value,
        header.Columns!.Value,
        header.InstanceNumber);

    /// <summary>Returns the instances in the geometry's anatomical order (duplicates dropped by the geometry are left out).</summary>
    private static InstanceHeader[] OrderLike(List<InstanceHeader> instances, SeriesGeometry geometry)
    {
        var bySop = new Dictionary<string, InstanceHeader>(StringComparer.Ordinal);
        foreach (InstanceHeader instance in instances)
        {
            bySop.TryAdd(instance.SopInstanceUid, instance);
        }

        return geometry.Slices.Select(slice => bySop[slice.SopInstanceUid]).ToArray();
    }

    private static string Describe(InstanceHeader header) =>
        header.SeriesNumber is int number ? $"{number} ({header.SeriesDescription ?? header.SeriesInstanceUid})" : header.SeriesInstanceUid;

    private sealed record Candidate(
        InstanceHeader First,
        List<InstanceHeader> Instances,
        SeriesGeometry Geometry,
        SeriesRecord Record,
        (int, int, double, int, int) Key);
}
