using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data;

/// <summary>
/// The items of a DataBlock split into training and validation, each seen through the getters and checked by the
/// blocks (fastai's Datasets). Without getters, x and y are the item itself, as in fastai.
/// </summary>
public sealed class Datasets<TItem>
{
    /// <summary>Every item given, in order (including any that were skipped).</summary>
    public IReadOnlyList<TItem> Items { get; }
    /// <summary>The training split, each item seen through the getters (fastai's <c>dsets.train</c>).</summary>
    public IReadOnlyList<DatasetItem> Train { get; }
    /// <summary>The validation split (fastai's <c>dsets.valid</c>).</summary>
    public IReadOnlyList<DatasetItem> Valid { get; }
    /// <summary>The input block, or null without blocks.</summary>
    public ImageBlock? XBlock { get; }
    /// <summary>The fitted target block (vocabulary learnt from the training split), or null without blocks.</summary>
    public TargetBlock? YBlock { get; }
    /// <summary>Items left out under <see cref="OnBadItem.SkipAndReport"/>, with where they came from and why.</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; }

    internal Datasets(IReadOnlyList<TItem> items, IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> valid,
        ImageBlock? xBlock, TargetBlock? yBlock, IReadOnlyList<SkippedItem> skipped)
    {
        (Items, XBlock, YBlock, Skipped) = (items, xBlock, yBlock, skipped);
        // With blocks an item can show itself as the model sees it (fastai's dsets.train[0]).
        bool encodes = xBlock is not null && yBlock is not null;
        Train = encodes ? train.Select(i => i with { Encoder = Encode }).ToList() : train;
        Valid = encodes ? valid.Select(i => i with { Encoder = Encode }).ToList() : valid;
    }

    /// <summary>The vocabulary of a categorical target (sorted union of the training labels).</summary>
    public Vocab? Vocab => YBlock?.Vocab;

    /// <summary>An item as fastai's <c>dsets.train[0]</c> shows it: the decoded image and the target as the model sees it
    /// (a one-hot vector over <see cref="Vocab"/> for several labels, the class index for one, points scaled to [-1, 1],
    /// the numbers for regression), before any augmentation.</summary>
    public EncodedItem Encode(DatasetItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (XBlock is null || YBlock is null)
            throw new InvalidOperationException("Encoding needs blocks: give the DataBlock (ImageBlock, a target block) to see items as the model does.");
        if (item.X is not string imagePath)
            throw new InvalidOperationException($"{item.Location}: the ImageBlock's getter returned {item.X.GetType().Name}, not an image path.");
        var image = RgbImage.Load(imagePath); // the decoded ImageSharp image is released at once
        var values = new float[YBlock.EncodedLength];
        YBlock.Encode(item.Y, YBlock.PointsOf(item.Y), image.Width, image.Height, values);
        return new EncodedItem(image, tensor(values), YBlock);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Datasets: {Train.Count} train, {Valid.Count} valid{(Vocab is null ? "" : $", vocab of {Vocab.Count}")}{(Skipped.Count > 0 ? $", {Skipped.Count} skipped" : "")}";
}
