using System.Collections;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Tensors;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>
/// Batches of one split. Training loaders shuffle and drop the last partial batch (as fastai); each enumeration is
/// one epoch, whose number seeds the order and every random transform, so a seeded run repeats exactly. Items are
/// decoded and transformed on background workers, <see cref="LoaderOptions.Prefetch"/> batches ahead.
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    readonly BatchCollator collator;
    readonly IReadOnlyList<IBatchTransform> batchTfms;

    internal DataLoader(IReadOnlyList<DatasetItem> items, TargetBlock target, IReadOnlyList<IItemTransform> itemTfms,
        IReadOnlyList<IBatchTransform> batchTfms, LoaderOptions options, ImageSource images, bool training)
    {
        (Items, Target, Options, Training, this.batchTfms) = (items, target, options, training, batchTfms);
        collator = new BatchCollator(items, target, itemTfms, images, options.Seed, training, options.Workers);
    }

    /// <summary>The split's items, in dataset order.</summary>
    public IReadOnlyList<DatasetItem> Items { get; }
    /// <summary>The fitted target block that encodes the items' targets.</summary>
    public TargetBlock Target { get; }
    /// <summary>Batch size, seed, device, workers and the other loading options.</summary>
    public LoaderOptions Options { get; }
    /// <summary>Whether this is the training loader (shuffled, augmented, last partial batch dropped).</summary>
    public bool Training { get; }
    /// <summary>Items per batch.</summary>
    public int BatchSize => Options.BatchSize;
    /// <summary>Whether each epoch visits the items in a new seeded order.</summary>
    public bool Shuffle => Training;
    /// <summary>Training drops a last partial batch, unless that would leave no batch at all.</summary>
    public bool DropLast => Training && Items.Count >= BatchSize;

    /// <summary>The epoch the next enumeration will be (incremented by each enumeration of a training loader).</summary>
    public int Epoch { get; set; }

    /// <summary>Batches per epoch.</summary>
    public int Count => DropLast ? Items.Count / BatchSize : (Items.Count + BatchSize - 1) / BatchSize;

    /// <summary>Item positions of each batch of an epoch.</summary>
    public IReadOnlyList<int[]> BatchPositions(int epoch)
    {
        var order = Enumerable.Range(0, Items.Count).ToArray();
        if (Shuffle) new Random(Seeds.Mix(Options.Seed, epoch, 7)).Shuffle(order);
        return Enumerable.Range(0, Count).Select(b => order.Skip(b * BatchSize).Take(BatchSize).ToArray()).ToList();
    }

    /// <inheritdoc/>
    public IEnumerator<Batch> GetEnumerator()
    {
        int epoch = Training ? Epoch++ : Epoch;
        var batches = BatchPositions(epoch);
        return Options.Workers == 0
            ? batches.Select((positions, i) => ToTensors(collator.Collate(i, positions, epoch), epoch)).GetEnumerator()
            : new PrefetchingEnumerator(this, batches, epoch);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The first batch of the current epoch's order, without advancing the epoch (fastai's one_batch).</summary>
    public Batch OneBatch()
    {
        if (Count == 0) throw new InvalidOperationException("This loader has no batch (no items).");
        return ToTensors(collator.Collate(0, BatchPositions(Epoch)[0], Epoch), Epoch);
    }

    internal CollatedBatch Collate(int index, int[] positions, int epoch) => collator.Collate(index, positions, epoch);

    /// <summary>The device half: tensors, batch transforms (seeded per batch) and normalisation.</summary>
    internal Batch ToTensors(CollatedBatch c, int epoch)
    {
        using var scope = NewDisposeScope();
        var device = Options.Device;
        var x = HostToDevice.Images(c.Pixels, c.Count, c.Height, c.Width, device);
        var points = Target.PointTensor(c.Targets, c.Count, device);
        var batch = new BatchTensors(x, points);
        var random = new Random(Seeds.Mix(Options.Seed, epoch, c.Index, 13));
        foreach (var transform in batchTfms) transform.Apply(batch, Training, random);
        Options.Normalization?.Apply(batch, Training, random);
        var y = Target.TargetTensor(c.Targets, c.Count, batch.Points, device);
        return new Batch(batch.Images.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), c.Positions, c.OriginalSizes, c.Index, epoch);
    }

    /// <inheritdoc/>
    public override string ToString() => $"DataLoader({(Training ? "train" : "valid")}: {Items.Count} items, {Count} batches of {BatchSize})";
}
