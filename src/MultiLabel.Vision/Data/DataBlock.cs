using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Transforms;
using TorchSharp;

namespace MultiLabel.Vision.Data;

/// <summary>
/// fastai's DataBlock: what the inputs and targets are (<c>blocks</c>), how to get them from an item (<c>getX</c>,
/// <c>getY</c>), how to split (<c>splitter</c>, default a seeded random 20 %), and the item and batch transforms.
/// <code>
/// var dblock = new DataBlock&lt;TableRow&gt;(blocks: (new ImageBlock(), new MultiCategoryBlock()),
///     splitter: Splitters.ColSplitter("is_valid"), getX: r => Path.Combine(path, "train", r["fname"]),
///     getY: r => r["labels"].Split(' '), itemTfms: [new RandomResizedCrop(128, minScale: 0.35)]);
/// var dls = dblock.DataLoaders(table.Rows);
/// </code>
/// </summary>
public sealed class DataBlock<TItem>
{
    /// <summary>The input block (null without blocks: then x is the item itself).</summary>
    public ImageBlock? XBlock { get; }
    /// <summary>The target block as written (a description; <c>DataLoaders</c> fits a copy to the training items).</summary>
    public TargetBlock? YBlock { get; }
    /// <summary>fastai's <c>get_x</c>: the image of an item (a path, a FileInfo or an <see cref="RgbImage"/>).</summary>
    public Func<TItem, object>? GetX { get; }
    /// <summary>fastai's <c>get_y</c>: the target of an item (labels, one label, points or numbers, as the block expects).</summary>
    public Func<TItem, object>? GetY { get; }
    /// <summary>Splits the items into training and validation indices.</summary>
    public Splitter<TItem> Splitter { get; }
    /// <summary>Transforms applied to each image (and its points) before batching, e.g. <see cref="RandomResizedCrop"/>.</summary>
    public IReadOnlyList<IItemTransform> ItemTfms { get; }
    /// <summary>Transforms applied to whole batches on the device, e.g. <see cref="AugTransforms"/>.</summary>
    public IReadOnlyList<IBatchTransform> BatchTfms { get; }

    /// <summary>Describes how to build datasets and loaders from items of type <typeparamref name="TItem"/>.</summary>
    /// <param name="blocks">The input and target blocks, e.g. <c>(new ImageBlock(), new MultiCategoryBlock())</c>.</param>
    /// <param name="getX">The image of an item; without it, the item itself.</param>
    /// <param name="getY">The target of an item; without it, the item itself.</param>
    /// <param name="splitter">Training/validation split; default a seeded random 20 % for validation.</param>
    /// <param name="itemTfms">Per-image transforms (run on the loader's worker threads).</param>
    /// <param name="batchTfms">Per-batch transforms (run on the batch's device).</param>
    public DataBlock((ImageBlock X, TargetBlock Y)? blocks = null, Func<TItem, object>? getX = null, Func<TItem, object>? getY = null,
        Splitter<TItem>? splitter = null, IEnumerable<IItemTransform>? itemTfms = null, IEnumerable<IBatchTransform>? batchTfms = null)
    {
        (XBlock, YBlock) = blocks is { } b ? (b.X, b.Y) : (null, null);
        (GetX, GetY) = (getX, getY);
        Splitter = splitter ?? Splitters.RandomSplitter<TItem>();
        ItemTfms = itemTfms?.ToList() ?? [];
        BatchTfms = batchTfms?.ToList() ?? [];
    }

    /// <summary>Splits the items and applies the getters; with blocks, checks every target and learns the vocabulary.
    /// Image files are checked to exist; <paramref name="verifyImages"/> also reads each header (size, format, limits).</summary>
    public Datasets<TItem> Datasets(IEnumerable<TItem> items, OnBadItem onBadItem = OnBadItem.Throw, bool verifyImages = false)
    {
        var list = items as IReadOnlyList<TItem> ?? items.ToList();
        if (list.Count == 0) throw new ArgumentException("There are no items to build datasets from.", nameof(items));
        var split = Splitter(list);
        var skipped = new List<SkippedItem>();
        var train = Build(list, split.Train, onBadItem, verifyImages, skipped);
        var valid = Build(list, split.Valid, onBadItem, verifyImages, skipped);
        if (train.Count == 0) throw new InvalidDataException("The training split is empty: check the splitter (every item went to validation).");
        var yBlock = YBlock?.Setup(train.Select(t => (t.Y, t.Location)).ToList(), valid.Select(v => (v.Y, v.Location)).ToList());
        return new Datasets<TItem>(list, train, valid, XBlock, yBlock, skipped);
    }

    /// <summary>Datasets, then loaders that decode, transform and batch on background workers.</summary>
    public DataLoaders DataLoaders(IEnumerable<TItem> items, int batchSize = 64, int seed = 42, torch.Device? device = null,
        int? workers = null, int prefetch = 4, int? presize = null, bool cacheImages = false, Normalize? normalize = null,
        OnBadItem onBadItem = OnBadItem.Throw, bool verifyImages = false, bool reducedJpeg = true)
    {
        if (XBlock is null || YBlock is null)
            throw new InvalidOperationException("DataLoaders need blocks: pass blocks: (new ImageBlock(), new MultiCategoryBlock()) or another target block.");
        var datasets = Datasets(items, onBadItem, verifyImages || onBadItem == OnBadItem.SkipAndReport);
        var options = new LoaderOptions(batchSize, seed, device ?? Native.TorchRuntime.DefaultDevice, workers ?? Environment.ProcessorCount,
            prefetch, presize, cacheImages, normalize ?? Normalize.ImageNet, reducedJpeg);
        return new DataLoaders(datasets.Train, datasets.Valid, XBlock, datasets.YBlock!, ItemTfms, BatchTfms, options, datasets.Skipped);
    }

    /// <summary>Walks the first item through every step and says what each produced (fastai's summary).</summary>
    public string Summary(IEnumerable<TItem> items)
    {
        var list = items as IReadOnlyList<TItem> ?? items.ToList();
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{list.Count} items of {typeof(TItem).Name}");
        var split = Splitter(list);
        text.AppendLine($"split: {split.Train.Count} train, {split.Valid.Count} valid");
        if (list.Count == 0) return text.ToString();
        var item = list[split.Train.Count > 0 ? split.Train[0] : 0];
        text.AppendLine($"first item: {LocationOf(item, 0)}");
        var x = GetX is null ? (object)item! : GetX(item);
        var y = GetY is null ? (object)item! : GetY(item);
        text.AppendLine($"  x getter → {x}");
        text.AppendLine($"  y getter → {(y is IEnumerable<string> labels && y is not string ? string.Join(" ", labels) : y)}");
        if (XBlock is null || YBlock is null) return text.Append("no blocks: the items are not encoded").ToString();
        var datasets = Datasets(list);
        text.AppendLine($"  {datasets.YBlock} → {datasets.YBlock!.Describe(datasets.Train[0].Y)}");
        if (datasets.Vocab is { } vocab) text.AppendLine($"  vocab ({vocab.Count}): {string.Join(", ", vocab)}");
        if (datasets.Train[0].X is string path)
        {
            var (w, h) = ImageDecoder.Identify(path, XBlock.Limits);
            text.AppendLine($"  image: {w}×{h}");
        }
        foreach (var t in ItemTfms) text.AppendLine($"  item transform: {t}");
        foreach (var t in BatchTfms) text.AppendLine($"  batch transform: {t}");
        return text.ToString();
    }

    List<DatasetItem> Build(IReadOnlyList<TItem> items, IReadOnlyList<int> indices, OnBadItem onBadItem, bool verifyImages, List<SkippedItem> skipped)
    {
        var result = new List<DatasetItem>(indices.Count);
        var collector = new ItemCollector<DatasetItem>(onBadItem);
        foreach (var i in indices)
        {
            var item = items[i];
            var location = LocationOf(item, i);
            collector.Try(location, () => Make(item, i, location, verifyImages));
        }
        var report = collector.Report();
        skipped.AddRange(report.Skipped);
        return report.Items.ToList();
    }

    DatasetItem Make(TItem item, int index, string location, bool verifyImages)
    {
        object x = Get(GetX, item, location, "x"), y = Get(GetY, item, location, "y");
        if (XBlock is not null)
        {
            x = XBlock.Validate(x, location);
            if (x is string path)
            {
                if (!File.Exists(path)) throw new InvalidDataException($"{location}: the image '{path}' does not exist.");
                if (verifyImages) ImageDecoder.Identify(path, XBlock.Limits);
            }
        }
        if (YBlock is not null) y = YBlock.Validate(y, location);
        return new DatasetItem(x, y, location, index);
    }

    static object Get(Func<TItem, object>? getter, TItem item, string location, string which)
    {
        if (getter is null) return item!;
        try
        {
            return getter(item);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentException or InvalidCastException or NullReferenceException)
        {
            throw new InvalidDataException($"{location}: the {which} getter failed: {e.Message}", e);
        }
    }

    static string LocationOf(TItem item, int index) => item switch
    {
        ILocated located => located.Location,
        _ => $"item {index}",
    };
}
