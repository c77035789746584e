using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Tensors;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>The training and validation loaders of a DataBlock, with what the model needs to know about the data
/// (vocabulary, number of outputs) and how to turn targets back into labels or points.</summary>
public sealed class DataLoaders
{
    internal DataLoaders(IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> valid, ImageBlock x, TargetBlock y,
        IReadOnlyList<IItemTransform> itemTfms, IReadOnlyList<IBatchTransform> batchTfms, LoaderOptions options, IReadOnlyList<SkippedItem> skipped)
    {
        options.Check();
        Options = options;
        Target = y;
        Skipped = skipped;
        var needed = itemTfms.OfType<ISizedTransform>().Aggregate((DecodeFloor?)null, (floor, t) => floor is { } f ? f.Max(t.NeededSource) : t.NeededSource);
        Images = new ImageSource(x.Limits, options.Presize, options.CacheImages, needed, options.ReducedJpeg);
        Train = new DataLoader(train, y, itemTfms, batchTfms, options, Images, training: true);
        Inference = new InferencePipeline(itemTfms, batchTfms, options.Normalization, x.Limits);
        Valid = new DataLoader(valid, y, itemTfms, batchTfms, options, Images, training: false);
    }

    internal ImageSource Images { get; }
    /// <summary>The validation pipeline for new images (used by prediction and export).</summary>
    public InferencePipeline Inference { get; }
    /// <summary>The training loader (fastai's <c>dls.train</c>).</summary>
    public DataLoader Train { get; }
    /// <summary>The validation loader (fastai's <c>dls.valid</c>).</summary>
    public DataLoader Valid { get; }
    /// <summary>The fitted target block: it knows the vocabulary or the number of points, and decodes outputs.</summary>
    public TargetBlock Target { get; }
    /// <summary>What kind of target the loaders carry.</summary>
    public string Kind => Target.Kind;
    /// <summary>The labels for multi-label and single-label targets (fastai's <c>dls.vocab</c>); null otherwise.</summary>
    public Vocab? Vocab => Target.Vocab;
    /// <summary>The options both loaders were built with.</summary>
    public LoaderOptions Options { get; }
    /// <summary>Where batches are put.</summary>
    public Device Device => Options.Device;
    /// <summary>Items left out under <see cref="OnBadItem.SkipAndReport"/>, with reasons.</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; }
    /// <summary>Model outputs the targets need: vocabulary size, points × 2, or regression values.</summary>
    public int OutputCount => Target.OutputCount;

    /// <summary>The first batch of the training (or, with <paramref name="valid"/>, validation) loader, as fastai's
    /// <c>dls.one_batch()</c>. Dispose it when done.</summary>
    public Batch OneBatch(bool valid = false) => (valid ? Valid : Train).OneBatch();

    /// <summary>Decodes one item's target row (floats as in <see cref="Batch.Y"/>) for an image of the given size:
    /// a <see cref="LabelVector"/>, a label, points in pixels, or numbers.</summary>
    public object Decode(ReadOnlySpan<float> target, int width, int height) => Target.DecodeTarget(target.ToArray(), width, height);

    /// <summary>The items fastai's show_batch draws: up to <paramref name="maxItems"/> of one batch.</summary>
    public ShowBatchData ShowBatch(int maxItems = 9, bool valid = false)
    {
        if (maxItems < 1) throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, "maxItems must be at least 1.");
        var loader = valid ? Valid : Train;
        using var batch = loader.OneBatch();
        return Show(batch, maxItems, loader);
    }

    /// <summary>The first <paramref name="maxItems"/> items of <paramref name="batch"/> (from <paramref name="loader"/>),
    /// de-normalised and decoded; the batch stays usable.</summary>
    internal ShowBatchData Show(Batch batch, int maxItems, DataLoader loader)
    {
        using var scope = NewDisposeScope();
        int n = Math.Min(maxItems, batch.Count);
        var images = (Options.Normalization?.Denormalize(batch.X) ?? batch.X.clamp(Scalars.Zero, Scalars.One)).narrow(0, 0, n)
            .mul(Scalars.ByteMax).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().cpu();
        var bytes = images.data<byte>().ToArray();
        var targets = batch.Y.to(ScalarType.Float32).reshape(batch.Count, -1).cpu().data<float>().ToArray();
        int h = (int)images.shape[1], w = (int)images.shape[2], length = targets.Length / batch.Count, plane = h * w * 3;
        var items = new List<ShowBatchItem>(n);
        for (int i = 0; i < n; i++)
        {
            var image = new RgbImage(w, h, bytes[(i * plane)..((i + 1) * plane)]);
            var decoded = Decode(targets.AsSpan(i * length, length), w, h);
            var location = loader.Items[batch.Positions[i]].Location;
            items.Add(new ShowBatchItem(image, Target.DescribeDecoded(decoded), Target.LabelsOf(decoded), Target.PointsOf(decoded), location) { Decoded = decoded });
        }
        var (rows, columns) = ShowBatchData.Grid(n);
        return new ShowBatchData(items, rows, columns, !loader.Training);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"DataLoaders: {Train.Items.Count} train ({Train.Count} batches), {Valid.Items.Count} valid ({Valid.Count} batches), batch size {Options.BatchSize}, " +
        $"{Kind}{(Vocab is null ? "" : $" over {Vocab.Count} labels")}, on {Device.type}";
}
