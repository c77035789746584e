using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>
/// Several labels per item: the vocabulary is the sorted union of the training labels, the target a one-hot float
/// vector (all zeros for an item with no label). A label that appears only in validation is an error naming it.
/// The getter returns a list of labels, or one string of space-separated labels; empty strings in a list are ignored.
/// </summary>
public sealed class MultiCategoryBlock(IEnumerable<string>? vocab = null) : TargetBlock
{
    readonly Vocab? vocab = vocab is null ? null : new Vocab(vocab);

    /// <inheritdoc/>
    public override string Kind => "MultiLabel";
    /// <inheritdoc/>
    public override Vocab? Vocab => vocab;
    /// <inheritdoc/>
    public override int EncodedLength => Ready.Count;

    Vocab Ready => vocab ?? throw new InvalidOperationException("The vocabulary is not known before Setup (build the Datasets first).");

    /// <inheritdoc/>
    public override object Validate(object? raw, string location) => raw switch
    {
        null => throw new InvalidDataException($"{location}: the y getter returned null; return an empty list for an item without labels."),
        string text => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
        // Empty strings are what splitting an empty cell gives ("".Split(' ')): an item without labels.
        IEnumerable<string> labels => labels.Select(l => l?.Trim()).Where(l => !string.IsNullOrEmpty(l)).Select(l => l!).ToArray(),
        _ => throw new InvalidDataException($"{location}: the y getter returned {raw.GetType().Name}; MultiCategoryBlock needs a list of labels or a space-separated string."),
    };

    /// <inheritdoc/>
    public override TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid)
    {
        var learnt = vocab ?? new Vocab(train.SelectMany(t => (string[])t.Target));
        foreach (var (target, location) in train.Concat(valid))
            foreach (var label in (string[])target)
                if (!learnt.Contains(label))
                    throw new InvalidDataException(
                        $"{location}: label '{label}' is not in the training set's labels, so the model could not learn it " +
                        "(labels seen only in validation are not allowed). Move such rows to training or drop the label.");
        return new MultiCategoryBlock(learnt);
    }

    /// <inheritdoc/>
    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination)
    {
        destination.Clear();
        foreach (var label in (string[])target) destination[Ready.IndexOf(label)] = 1f;
    }

    /// <inheritdoc/>
    public override ILoss DefaultLoss() => new BCEWithLogitsLossFlat();

    /// <summary>The labels whose probability exceeds <paramref name="threshold"/>.</summary>
    public override object Decode(float[] activations, int width, int height, float threshold) => new LabelVector(Ready, activations, threshold);

    /// <inheritdoc/>
    public override string Describe(object target) => string.Join(";", (string[])target);

    /// <inheritdoc/>
    public override string DescribeDecoded(object decoded) => ((LabelVector)decoded).ToString();

    /// <inheritdoc/>
    public override LabelVector? LabelsOf(object decoded) => (LabelVector)decoded;

    /// <inheritdoc/>
    protected internal override TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs) =>
        vocab is null ? throw new InvalidDataException("a MultiLabel export needs its vocabulary.")
        : vocab.Count != outputs ? throw new InvalidDataException($"a vocabulary of {vocab.Count} labels for {outputs} outputs.")
        : new MultiCategoryBlock(vocab);

    /// <inheritdoc/>
    public override string ToString() => vocab is null ? "MultiCategoryBlock" : $"MultiCategoryBlock({vocab.Count} labels)";
}
