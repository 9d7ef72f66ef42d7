using System.Globalization;
using System.Text.Json;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Nifti;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Nifti;

public sealed class NiftiWriterTests : IDisposable
{
    // nibabel loads the mask; the script prints its shape, dtype, voxel sum, affine and the world position of
    // three voxels given as i,j,k on the command line.
    private const string NibabelReport = """
        import json, sys
        import nibabel as nib, numpy as np
        image = nib.load(sys.argv[1])
        data = np.asanyarray(image.dataobj)
        voxels = [[int(v) for v in arg.split(",")] for arg in sys.argv[2:]]
        world = [list(map(float, image.affine @ np.array(v + [1]))) [:3] for v in voxels]
        print(json.dumps({"shape": list(data.shape), "dtype": str(data.dtype), "sum": int(data.astype(np.int64).sum()),
                          "sform_code": int(image.header["sform_code"]), "world": world}))
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("ich-nifti-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(0.0, "mask.nii")]
    [InlineData(15.0, "mask.nii.gz")]
    public async Task WriteUInt8_NibabelReadsAlignedMask(double tilt, string fileName)
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions
        {
            Seed = 4, Rows = 96, Columns = 128, PixelSpacingMm = 2, SliceCount = 10, SliceThicknessMm = 12, TiltDegrees = tilt,
            Lesions = [new LesionSpec(HemorrhageKind.Subdural, 0, 0.5, 50, ThicknessMm: 8)],
        });
        string path = Path.Combine(_directory, fileName);

        NiftiWriter.WriteUInt8(path, exam.Geometry, exam.Labels);
        (int Slice, int Row, int Column)[] voxels = [(0, 0, 0), (9, 95, 127), (4, 10, 70)];
        string output = await PythonScript.RunAsync(NibabelReport, [path, .. voxels.Select(v => $"{v.Column},{v.Row},{v.Slice}")], TestContext.Current.CancellationToken);

        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement root = report.RootElement;
        Assert.Equal([128, 96, 10], root.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("uint8", root.GetProperty("dtype").GetString());
        Assert.Equal(exam.Lesions[0].VoxelCount, root.GetProperty("sum").GetInt32());
        Assert.Equal(1, root.GetProperty("sform_code").GetInt32());
        var grid = new VoxelGrid(exam.Geometry);
        JsonElement[] world = root.GetProperty("world").EnumerateArray().ToArray();
        for (int i = 0; i < voxels.Length; i++)
        {
            Vector3D lps = grid.Position(voxels[i].Slice, voxels[i].Row, voxels[i].Column);
            double[] ras = world[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(-lps.X, ras[0], 3);
            Assert.Equal(-lps.Y, ras[1], 3);
            Assert.Equal(lps.Z, ras[2], 3);
        }
    }

    [Fact]
    public void Affine_VariableSpacing_Throws()
    {
        var row = new Vector3D(1, 0, 0);
        var column = new Vector3D(0, 1, 0);
        double[] z = [0, 5, 10, 17];
        SeriesGeometry geometry = SeriesGeometryBuilder.Build(z.Select((value, i) =>
            new SliceGeometry(string.Create(CultureInfo.InvariantCulture, $"1.2.{i}"), new Vector3D(0, 0, value), row, column, 1, 1, 5, 8, 8))).Stack!;

        var error = Assert.Throws<InvalidOperationException>(() => NiftiWriter.Affine(geometry));

        Assert.Contains("from 5 to 7 mm", error.Message, StringComparison.Ordinal);
    }
}
