using MultiLabel.Vision.Data.Blocks;

namespace MultiLabel.Vision.Data;

/// <summary>
/// The items of a DataBlock split into training and validation, each seen through the getters and checked by the
/// blocks (fastai's Datasets). Without getters, x and y are the item itself, as in fastai.
/// </summary>
public sealed class Datasets<TItem>
{
    public IReadOnlyList<TItem> Items { get; }
    public IReadOnlyList<DatasetItem> Train { get; }
    public IReadOnlyList<DatasetItem> Valid { get; }
    public ImageBlock? XBlock { get; }
    public TargetBlock? YBlock { get; }
    public IReadOnlyList<SkippedItem> Skipped { get; }

    internal Datasets(IReadOnlyList<TItem> items, IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> valid,
        ImageBlock? xBlock, TargetBlock? yBlock, IReadOnlyList<SkippedItem> skipped)
    {
        (Items, Train, Valid, XBlock, YBlock, Skipped) = (items, train, valid, xBlock, yBlock, skipped);
    }

    /// <summary>The vocabulary of a categorical target (sorted union of the training labels).</summary>
    public Vocab? Vocab => YBlock?.Vocab;

    public override string ToString() =>
        $"Datasets: {Train.Count} train, {Valid.Count} valid{(Vocab is null ? "" : $", vocab of {Vocab.Count}")}{(Skipped.Count > 0 ? $", {Skipped.Count} skipped" : "")}";
}
