using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>Small CPU loaders over the repository's bundled datasets, for the tool's checks.</summary>
static class BundledData
{
    /// <summary>The first <paramref name="rows"/> bundled scenes as multi-label loaders.</summary>
    public static DataLoaders Scenes(string datasets, int rows, int size, int batch, IBatchTransform[]? batchTfms = null, int workers = 2)
    {
        var folder = Path.Combine(datasets, "scenes-quick");
        var table = Table.ReadCsv(Path.Combine(folder, "train.csv"));
        return new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => Path.Combine(folder, "train", r["fname"]),
                r => r["labels"].Split(' '), Splitters.RandomSplitter<TableRow>(0.25, seed: 1), itemTfms: [new Resize(size)], batchTfms: batchTfms ?? [])
            .DataLoaders(table.Rows.Take(rows).ToList(), batchSize: batch, seed: 1, device: CPU, workers: workers);
    }

    /// <summary>The first <paramref name="rows"/> bundled head-pose frames as keypoint loaders, augmented to size×(4/3·size).</summary>
    public static (DataLoaders Loaders, IReadOnlyList<BiwiFrame> Frames) HeadPoses(string datasets, int rows, int size, int batch)
    {
        var frames = BiwiHeadPose.Load(Path.Combine(datasets, "headpose-quick")).Items.Take(rows).ToList();
        var dls = new DataBlock<BiwiFrame>((new ImageBlock(), new PointBlock()), f => f.ImagePath, f => new[] { f.Center },
                Splitters.RandomSplitter<BiwiFrame>(0.25, seed: 1), batchTfms: [new AugTransforms(size: (size, size + size / 3))])
            .DataLoaders(frames, batchSize: batch, seed: 1, device: CPU, workers: 2);
        return (dls, frames);
    }
}
