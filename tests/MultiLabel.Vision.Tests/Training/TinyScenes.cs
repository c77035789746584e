using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>The first rows of the bundled scenes at a few pixels, batches of 8 on the CPU: small enough to train in tests.</summary>
static class TinyScenes
{
    public static readonly string Folder = Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick");

    // label: renames the labels (e.g. to fewer classes); the scenes' own by default.
    public static DataLoaders Loaders(int rows, int size = 32, IBatchTransform[]? batchTfms = null, Func<string, string>? label = null)
    {
        var table = Table.ReadCsv(Path.Combine(Folder, "train.csv"));
        return new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => Path.Combine(Folder, "train", r["fname"]),
                r => r["labels"].Split(' ').Select(label ?? (l => l)).Distinct(), Splitters.RandomSplitter<TableRow>(0.25, seed: 3), itemTfms: [new Resize(size)], batchTfms: batchTfms ?? [])
            .DataLoaders(table.Rows.Take(rows).ToList(), batchSize: 8, seed: 2, device: CPU, workers: 2);
    }
}
