using System.Diagnostics;
using System.Globalization;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Synthetic;
using IchFunctions.Imaging.Volumes;

// Usage:
//   generate <folder> [slices] [thickness-mm]   writes a synthetic thin-slice series (default 600 slices of 0.625 mm)
//   load <folder>                               scans, selects and loads it, then prints peak working set against the volume's bytes
if (args.Length < 2 || args[0] is not ("generate" or "load"))
{
    Console.Error.WriteLine("usage: generate <folder> [slices] [thickness-mm] | load <folder>");
    return 2;
}

if (args[0] == "generate")
{
    int slices = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 600;
    double thickness = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.625;
    SyntheticExam exam = SyntheticExamGenerator.Generate(new SyntheticExamOptions
    {
        Seed = 600,
        SliceCount = slices,
        SliceThicknessMm = thickness,
        Lesions = [new LesionSpec(HemorrhageKind.Intraparenchymal, 30, 0.5, 15)],
    });
    await SyntheticSeriesWriter.WriteAsync(exam, 600, args[1], new SyntheticSeriesOptions { WriteTruthSegmentation = false });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {slices} slices of {thickness} mm to {args[1]}"));
    return 0;
}

var clock = Stopwatch.StartNew();
using FileSource source = FileSource.FromFolder(args[1]);
SelectionResult selection = SeriesSelector.Select(InstanceScanner.Scan(source).Instances);
HuVolume volume = HuVolumeLoader.Load(source, selection.SelectedGeometry!, selection.SelectedInstances!);
clock.Stop();

using Process self = Process.GetCurrentProcess();
self.Refresh();
double volumeMb = volume.Voxels.LongLength * sizeof(short) / 1e6;
double peakMb = self.PeakWorkingSet64 / 1e6;
double goalMb = (1.3 * volumeMb) + 200;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"slices {volume.SliceCount}, volume {volumeMb:0.0} MB, peak working set {peakMb:0.0} MB ({peakMb / volumeMb:0.00}x the volume), goal {goalMb:0.0} MB: {(peakMb <= goalMb ? "met" : "NOT met")}, load time {clock.Elapsed.TotalSeconds:0.0} s"));
GC.KeepAlive(volume);
return 0;
