using IchFunctions.Imaging.Synthetic;

namespace IchFunctions.Imaging.Tests.Synthetic;

public sealed class SyntheticExamGeneratorTests
{
    /// <summary>A coarse grid that still holds a whole head: 160 x 160 pixels of 1.5 mm, 14 slices of 10 mm.</summary>
    private static SyntheticExamOptions Small(int seed, params LesionSpec[] lesions) => new()
    {
        Seed = seed,
        Rows = 160,
        Columns = 160,
        PixelSpacingMm = 1.5,
        SliceCount = 14,
        SliceThicknessMm = 10,
        Lesions = lesions,
    };

    [Fact]
    public void Generate_SameSeed_IsBitIdentical()
    {
        LesionSpec lesion = new(HemorrhageKind.Intraparenchymal, 30, 0.5, 15);

        SyntheticExam first = SyntheticExamGenerator.Generate(Small(11, lesion));
        SyntheticExam second = SyntheticExamGenerator.Generate(Small(11, lesion));

        Assert.Equal(first.Hu, second.Hu);
        Assert.Equal(first.Labels, second.Labels);
    }

    [Fact]
    public void Generate_OtherSeed_Differs()
    {
        SyntheticExam first = SyntheticExamGenerator.Generate(Small(1));
        SyntheticExam second = SyntheticExamGenerator.Generate(Small(2));

        Assert.NotEqual(first.Hu, second.Hu);
    }

    [Fact]
    public void Generate_NoLesions_HasEmptyTruth()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(5));

        Assert.Empty(exam.Lesions);
        Assert.All(exam.Labels, label => Assert.Equal(0, label));
        Assert.Equal(0, exam.HemorrhageVolumeMl);
    }

    [Fact]
    public void Generate_NoLesions_HasHeadCtIntensities()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(5));
        int sliceLength = exam.Geometry.Rows * exam.Geometry.Columns;
        ReadOnlySpan<short> middle = exam.Hu.AsSpan(7 * sliceLength, sliceLength);

        int air = 0, bone = 0, brain = 0;
        foreach (short value in middle)
        {
            air += value < -900 ? 1 : 0;
            bone += value > 500 ? 1 : 0;
            brain += value is > 15 and < 50 ? 1 : 0;
        }

        Assert.InRange(air, sliceLength / 5, sliceLength);
        Assert.InRange(bone, 200, sliceLength / 5);
        Assert.InRange(brain, sliceLength / 5, sliceLength);
    }

    [Theory]
    [InlineData(HemorrhageKind.Epidural, 200, 0.6, 30)]
    [InlineData(HemorrhageKind.Subdural, 20, 0.6, 60)]
    [InlineData(HemorrhageKind.Intraparenchymal, 300, 0.5, 14)]
    [InlineData(HemorrhageKind.Subarachnoid, 100, 0.8, 35)]
    [InlineData(HemorrhageKind.Intraventricular, 120, 0.55, 25)]
    public void Generate_EachKind_PaintsOnlyIntracranialVoxels(HemorrhageKind kind, double azimuth, double height, double size)
    {
        SyntheticExam background = SyntheticExamGenerator.Generate(Small(7));
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(7, new LesionSpec(kind, azimuth, height, size, ThicknessMm: 8)));

        LesionTruth truth = Assert.Single(exam.Lesions);
        Assert.True(truth.VoxelCount > 20, $"{kind} painted only {truth.VoxelCount} voxels.");
        for (int i = 0; i < exam.Labels.Length; i++)
        {
            if (exam.Labels[i] != 0)
            {
                Assert.InRange(background.Hu[i], (short)-60, (short)150);
            }
        }
    }

    [Theory]
    [InlineData(HemorrhageKind.Epidural, 25, true)]
    [InlineData(HemorrhageKind.Subdural, 50, true)]
    [InlineData(HemorrhageKind.Intraparenchymal, 25, false)]
    public void Generate_Collections_TouchTheSkull(HemorrhageKind kind, double size, bool touchesBone)
    {
        SyntheticExam background = SyntheticExamGenerator.Generate(Small(3));
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(3, new LesionSpec(kind, 180, 0.6, size, ThicknessMm: 10)));

        bool touching = LesionVoxels(exam).Any(i => NeighboursBone(background, i));

        Assert.Equal(touchesBone, touching);
    }

    [Theory]
    [InlineData(HemorrhageKind.Subarachnoid, 20)]
    [InlineData(HemorrhageKind.Intraventricular, 20)]
    public void Generate_CsfKinds_FillFluidSpaces(HemorrhageKind kind, short maximumBackgroundHu)
    {
        SyntheticExam background = SyntheticExamGenerator.Generate(Small(4, []) with { NoiseSigmaHu = 0 });
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(4, new LesionSpec(kind, 90, 0.55, 35)) with { NoiseSigmaHu = 0 });

        Assert.All(LesionVoxels(exam), i => Assert.True(background.Hu[i] <= maximumBackgroundHu, $"voxel {i} was {background.Hu[i]} HU before the lesion"));
    }

    [Fact]
    public void Generate_LesionDensity_MatchesRequest()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(9, new LesionSpec(HemorrhageKind.Intraparenchymal, 0, 0.5, 15, DensityHu: 72)));

        double mean = LesionVoxels(exam).Average(i => exam.Hu[i]);

        Assert.InRange(mean, 70.0, 74.0);
    }

    [Fact]
    public void Generate_LesionVolume_MatchesMask()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(6, new LesionSpec(HemorrhageKind.Subdural, 250, 0.5, 50, ThicknessMm: 6)));
        double voxelMl = 1.5 * 1.5 * 10 / 1000.0;

        LesionTruth truth = Assert.Single(exam.Lesions);

        Assert.Equal(LesionVoxels(exam).Count(), truth.VoxelCount);
        Assert.Equal(truth.VoxelCount * voxelMl, truth.VolumeMl, 9);
    }

    [Fact]
    public void Generate_TiltedSeries_ReportsTilt()
    {
        SyntheticExam exam = SyntheticExamGenerator.Generate(Small(2) with { TiltDegrees = 15 });

        Assert.Equal(15.0, exam.Geometry.TiltDegrees, 6);
        Assert.All(exam.Geometry.Spacings, spacing => Assert.Equal(10.0, spacing, 6));
    }

    [Fact]
    public void InsertIntoBackground_PaintsIntracranialAndKeepsInput()
    {
        SyntheticExam background = SyntheticExamGenerator.Generate(Small(8));
        short[] original = (short[])background.Hu.Clone();

        SyntheticExam exam = SyntheticExamGenerator.InsertIntoBackground(
            background.Geometry, background.Hu, [new LesionSpec(HemorrhageKind.Subdural, 0, 0.6, 50, ThicknessMm: 7)], seed: 1);

        Assert.Equal(original, background.Hu);
        LesionTruth truth = Assert.Single(exam.Lesions);
        Assert.True(truth.VoxelCount > 50, $"only {truth.VoxelCount} voxels were painted");
        Assert.All(LesionVoxels(exam), i => Assert.InRange(original[i], (short)-60, (short)150));
    }

    [Theory]
    [InlineData(1.5, 20, 8, 65, "HeightFraction")]
    [InlineData(0.5, 0, 8, 65, "SizeMm")]
    [InlineData(0.5, 20, 80, 65, "ThicknessMm")]
    [InlineData(0.5, 20, 8, 300, "DensityHu")]
    public void Generate_InvalidLesion_NamesParameter(double height, double size, double thickness, double density, string parameter)
    {
        var lesion = new LesionSpec(HemorrhageKind.Epidural, 0, height, size, thickness, density);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticExamGenerator.Generate(Small(1, lesion)));

        Assert.Equal(parameter, error.ParamName);
    }

    private static IEnumerable<int> LesionVoxels(SyntheticExam exam) =>
        Enumerable.Range(0, exam.Labels.Length).Where(i => exam.Labels[i] != 0);

    private static bool NeighboursBone(SyntheticExam background, int index)
    {
        int columns = background.Geometry.Columns;
        int[] offsets = [-1, 1, -columns, columns, -2, 2, -2 * columns, 2 * columns];
        return offsets.Any(offset => index + offset >= 0 && index + offset < background.Hu.Length && background.Hu[index + offset] > 300);
    }
}
