using MultiLabel.Datasets;

// Writes the bundled datasets in their real on-disk formats. Deterministic: the same seed gives the same files.
//   multilabel-datasets quick [--out datasets]          the small sets committed under datasets/
//   multilabel-datasets full  --out <folder>            PASCAL-sized scenes and BIWI-sized head poses (for a GPU)
//   --count N (full only): N scenes and about N head-pose frames (24 persons, N/24 each, rounded up) at the full
//   sizes, e.g. photo-sized sets for the loader benchmark without writing all 20,000 files
var preset = args.FirstOrDefault() ?? "quick";
var outIndex = Array.IndexOf(args, "--out");
var root = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : preset == "quick" ? "datasets" : null;
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null; // scenes | headpose | fashion
bool Want(string set) => only is null || only == set;
var countIndex = Array.IndexOf(args, "--count");
int? count = null;
if (countIndex >= 0)
{
    if (countIndex + 1 >= args.Length || !int.TryParse(args[countIndex + 1], out var n) || n < 24)
    {
        Console.Error.WriteLine("--count needs a whole number of at least 24 (one frame per head-pose person).");
        return 2;
    }
    count = n;
}
if (preset is not ("quick" or "full") || root is null || (count is not null && preset != "full"))
{
    Console.Error.WriteLine("usage: multilabel-datasets quick [--out datasets] | full --out <folder> [--count N]  [--only scenes|headpose|fashion]");
    return 2;
}
const int seed = 2007;
var clock = System.Diagnostics.Stopwatch.StartNew();
if (preset == "quick")
{
    if (Want("scenes")) SceneGenerator.Write(Path.Combine(root, "scenes-quick"), count: 2000, width: 128, height: 96, classes: 10, seed, quality: 80);
    if (Want("headpose")) HeadPoseGenerator.Write(Path.Combine(root, "headpose-quick"), persons: 24, framesPerPerson: 160, width: 80, height: 60, seed, quality: 80);
    if (!Want("fashion")) { }
    else if (FashionMosaicGenerator.Available(FashionMosaicGenerator.DebianFolder))
        FashionMosaicGenerator.Write(Path.Combine(root, "fashion-quick"), FashionMosaicGenerator.DebianFolder, count: 1200, size: 64, seed, quality: 85);
    else
        Console.WriteLine($"skipped fashion-quick: {FashionMosaicGenerator.DebianFolder} not found (apt-get install dataset-fashion-mnist)");
}
else
{
    if (Want("scenes")) SceneGenerator.Write(Path.Combine(root, "scenes-full"), count: count ?? 5011, width: 500, height: 375, classes: 20, seed, quality: 90);
    if (Want("headpose")) HeadPoseGenerator.Write(Path.Combine(root, "headpose-full"), persons: 24, framesPerPerson: count is { } c ? (c + 23) / 24 : 640, width: 640, height: 480, seed, quality: 90);
    if (Want("fashion") && FashionMosaicGenerator.Available(FashionMosaicGenerator.DebianFolder))
        FashionMosaicGenerator.Write(Path.Combine(root, "fashion-full"), FashionMosaicGenerator.DebianFolder, count: count ?? 20000, size: 128, seed, quality: 90);
}
Console.WriteLine($"wrote {preset} datasets to {Path.GetFullPath(root)} in {clock.Elapsed.TotalSeconds:F1} s");
return 0;
