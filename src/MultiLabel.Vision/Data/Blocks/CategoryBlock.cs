using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>One label per item: vocabulary sorted from the training labels, target the label's index.</summary>
public sealed class CategoryBlock(IEnumerable<string>? vocab = null) : TargetBlock
{
    readonly Vocab? vocab = vocab is null ? null : new Vocab(vocab);

    /// <inheritdoc/>
    public override string Kind => "Category";
    /// <inheritdoc/>
    public override Vocab? Vocab => vocab;
    /// <inheritdoc/>
    public override int EncodedLength => 1;
    /// <inheritdoc/>
    public override int OutputCount => Ready.Count;

    Vocab Ready => vocab ?? throw new InvalidOperationException("The vocabulary is not known before Setup (build the Datasets first).");

    /// <inheritdoc/>
    public override object Validate(object? raw, string location) => raw switch
    {
        null => throw new InvalidDataException($"{location}: the y getter returned null; CategoryBlock needs a label."),
        string s when string.IsNullOrWhiteSpace(s) => throw new InvalidDataException($"{location}: the label is empty."),
        string s => s,
        _ => raw.ToString() ?? throw new InvalidDataException($"{location}: the label is empty."),
    };

    /// <inheritdoc/>
    public override TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid)
    {
        var learnt = vocab ?? new Vocab(train.Select(t => (string)t.Target));
        foreach (var (target, location) in train.Concat(valid))
            if (!learnt.Contains((string)target))
                throw new InvalidDataException($"{location}: label '{target}' is not in the training set's labels, so the model could not learn it.");
        return new CategoryBlock(learnt);
    }

    /// <inheritdoc/>
    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination) =>
        destination[0] = Ready.IndexOf((string)target);

    /// <inheritdoc/>
    public override ILoss DefaultLoss() => new CrossEntropyLossFlat();

    /// <summary>The label with the highest probability.</summary>
    public override object Decode(float[] activations, int width, int height, float threshold) => Ready[Array.IndexOf(activations, activations.Max())];

    /// <inheritdoc/>
    public override object DecodeTarget(float[] encoded, int width, int height) => Ready[(int)encoded[0]];

    internal override Tensor TargetTensor(float[] targets, int count, Tensor? movedPoints, Device device) =>
        HostToDevice.FromArray(targets.Select(v => (long)v).ToArray(), device, count);

    /// <inheritdoc/>
    public override string Describe(object target) => (string)target;

    /// <inheritdoc/>
    protected internal override TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs) =>
        vocab is null ? throw new InvalidDataException("a Category export needs its vocabulary.")
        : vocab.Count != outputs ? throw new InvalidDataException($"a vocabulary of {vocab.Count} labels for {outputs} outputs.")
        : new CategoryBlock(vocab);
}
