using System.IO.Compression;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Sources;

public sealed class ZipSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ich-zip-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string MakeZip(string name, Action<ZipArchive> fill)
    {
        string path = Path.Combine(_directory, name);
        using (ZipArchive archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            fill(archive);
        }

        return path;
    }

    [Fact]
    public void Open_RealSeries_SelectsSameSeriesAsFolder()
    {
        string folder = TestData.Require("dcm_qa_ct/GE_head_tilt");
        string zip = MakeZip("exam.zip", archive =>
        {
            foreach (string file in Directory.GetFiles(folder))
            {
                archive.CreateEntryFromFile(file, "exam/series/" + Path.GetFileName(file));
            }
        });

        using ZipSource source = ZipSource.Open(zip);
        SelectionResult selection = SeriesSelector.Select(InstanceScanner.Scan(source, cancellationToken: TestContext.Current.CancellationToken).Instances);

        Assert.Equal(28, selection.SelectedInstances!.Count);
        Assert.StartsWith("exam/series/", selection.SelectedInstances[0].Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RealSeriesFromZip_EqualsFolderVolume()
    {
        string folder = TestData.Require("dcm_qa_ct/GE_head_tilt");
        string zip = MakeZip("exam.zip", archive =>
        {
            foreach (string file in Directory.GetFiles(folder))
            {
                archive.CreateEntryFromFile(file, Path.GetFileName(file));
            }
        });

        // The loader opens entries from several threads; the volume must equal the one loaded from the files.
        using ZipSource zipSource = ZipSource.Open(zip);
        SelectionResult fromZip = SeriesSelector.Select(InstanceScanner.Scan(zipSource, cancellationToken: TestContext.Current.CancellationToken).Instances);
        short[] zipVoxels = HuVolumeLoader.Load(zipSource, fromZip.SelectedGeometry!, fromZip.SelectedInstances!, cancellationToken: TestContext.Current.CancellationToken).Voxels;
        using FileSource fileSource = FileSource.FromFolder(folder);
        SelectionResult fromFolder = SeriesSelector.Select(InstanceScanner.Scan(fileSource, cancellationToken: TestContext.Current.CancellationToken).Instances);
        short[] folderVoxels = HuVolumeLoader.Load(fileSource, fromFolder.SelectedGeometry!, fromFolder.SelectedInstances!, cancellationToken: TestContext.Current.CancellationToken).Voxels;

        Assert.Equal(folderVoxels, zipVoxels);
    }

    [Theory]
    [InlineData("../evil.dcm")]
    [InlineData("exam/../../evil.dcm")]
    [InlineData("/etc/evil.dcm")]
    public void Open_PathTraversalEntry_IsRejected(string entryName)
    {
        string zip = MakeZip("traversal.zip", archive =>
        {
            using StreamWriter writer = new(archive.CreateEntry(entryName).Open());
            writer.Write("x");
        });

        var error = Assert.Throws<InvalidDataException>(() => ZipSource.Open(zip));

        Assert.Contains("path traversal", error.Message, StringComparison.Ordinal);
        Assert.Contains(entryName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HighlyCompressedEntry_IsRejectedAsZipBomb()
    {
        string zip = MakeZip("bomb.zip", archive =>
        {
            using Stream entry = archive.CreateEntry("zeros.dcm", CompressionLevel.SmallestSize).Open();
            entry.Write(new byte[50 * 1024 * 1024]);
        });

        var error = Assert.Throws<InvalidDataException>(() => ZipSource.Open(zip));

        Assert.Contains("zip bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TooManyBytesInTotal_IsRejected()
    {
        string zip = MakeZip("large.zip", archive =>
        {
            for (int i = 0; i < 3; i++)
            {
                using Stream entry = archive.CreateEntry($"{i}.dcm", CompressionLevel.NoCompression).Open();
                entry.Write(new byte[1000]);
            }
        });

        var error = Assert.Throws<InvalidDataException>(() => ZipSource.Open(zip, ZipLimits.Default with { MaxTotalBytes = 2500 }));

        Assert.Contains("more than 2500 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotAZip_NamesTheFile()
    {
        string path = Path.Combine(_directory, "not-a-zip.zip");
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<InvalidDataException>(() => ZipSource.Open(path));

        Assert.Contains("not-a-zip.zip is not a valid zip archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NonDicomEntry_IsSkippedWithReason()
    {
        string zip = MakeZip("mixed.zip", archive =>
        {
            archive.CreateEntryFromFile(TestData.Require("dcm_qa_ct/GE_head_tilt/01.dcm"), "01.dcm");
            using StreamWriter writer = new(archive.CreateEntry("readme.txt").Open());
            writer.Write("not dicom");
        });

        using ZipSource source = ZipSource.Open(zip);
        ScanResult scan = InstanceScanner.Scan(source, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(scan.Instances);
        SkippedFile skipped = Assert.Single(scan.Skipped);
        Assert.Equal("readme.txt", skipped.Location);
        Assert.Contains("Not a DICOM file", skipped.Reason, StringComparison.Ordinal);
    }
}
