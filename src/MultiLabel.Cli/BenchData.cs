using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>
/// The folder bench-data reads, as the chapter reads it: a PASCAL-style folder (train.csv) as multi-label images with
/// RandomResizedCrop(size, minScale 0.35), or a BIWI folder (01..24) as keypoint frames resized to 240×320.
/// </summary>
sealed class BenchData
{
    readonly Func<int, int, int, bool, bool, DataLoader> loader;

    BenchData(IReadOnlyList<string> files, string transform, Vision.Imaging.DecodeFloor floor, Func<int, int, int, bool, bool, DataLoader> loader)
    {
        Files = files;
        Transform = transform;
        Floor = floor;
        this.loader = loader;
    }

    public IReadOnlyList<string> Files { get; }
    /// <summary>The item transform, as printed.</summary>
    public string Transform { get; }
    /// <summary>What a reduced decode must keep for the item transform (the loader's own rule).</summary>
    public Vision.Imaging.DecodeFloor Floor { get; }

    /// <summary>The training loader over the first <c>count</c> items (no validation split: every item is timed).</summary>
    public DataLoader Loader(int count, int batch, int workers, bool fast, bool cache) => loader(count, batch, workers, fast, cache);

    public static BenchData Open(string folder, int size)
    {
        if (File.Exists(Path.Combine(folder, "train.csv"))) return Pascal(folder, size);
        if (Directory.Exists(Path.Combine(folder, "01"))) return Biwi(folder);
        throw new ArgumentException($"'{folder}' is neither a PASCAL-style folder (train.csv) nor a BIWI folder (01..24): give --data one of those.");
    }

    static BenchData Pascal(string folder, int size)
    {
        var items = PascalCsv.Load(folder).Items;
        var crop = new RandomResizedCrop(size, minScale: 0.35);
        var block = new DataBlock<PascalItem>((new ImageBlock(), new MultiCategoryBlock()), i => i.ImagePath, i => i.Labels,
            Splitters.FuncSplitter<PascalItem>(_ => false), itemTfms: [crop]);
        return new BenchData(items.Select(i => i.ImagePath).ToList(), $"RandomResizedCrop({size}, minScale 0.35)", ((ISizedTransform)crop).NeededSource,
            (count, batch, workers, fast, cache) => Train(block.DataLoaders(items.Take(count), batchSize: batch, device: CPU, workers: workers,
                reducedJpeg: fast, presize: cache ? size * 3 / 2 : null, cacheImages: cache)));
    }

    // The keypoint chapter's size; the book reaches it with aug_transforms(size=(240,320)) on the GPU.
    const int BiwiHeight = 240, BiwiWidth = 320;

    static BenchData Biwi(string folder)
    {
        var frames = BiwiHeadPose.Load(folder).Items;
        var resize = new Resize(BiwiHeight, BiwiWidth);
        var block = new DataBlock<BiwiFrame>((new ImageBlock(), new PointBlock()), f => f.ImagePath, f => new[] { f.Center },
            Splitters.FuncSplitter<BiwiFrame>(_ => false), itemTfms: [resize]);
        return new BenchData(frames.Select(f => f.ImagePath).ToList(), $"Resize({BiwiHeight}, {BiwiWidth})", ((ISizedTransform)resize).NeededSource,
            (count, batch, workers, fast, cache) => Train(block.DataLoaders(frames.Take(count), batchSize: batch, device: CPU, workers: workers,
                reducedJpeg: fast, presize: cache ? BiwiHeight : null, cacheImages: cache)));
    }

    static DataLoader Train(DataLoaders dls) => dls.Train;
}
