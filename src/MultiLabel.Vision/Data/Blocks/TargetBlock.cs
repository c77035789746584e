using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>
/// What a kind of target means to the whole pipeline (fastai's MultiCategoryBlock, CategoryBlock, PointBlock,
/// RegressionBlock): how a getter's output is checked, encoded for the model, batched, decoded back, and which loss
/// and activation fastai trains it with. A block as written in a DataBlock is a description; <see cref="Setup"/>
/// returns a new, fitted block (vocabulary learnt, number of points known), so one DataBlock can build many datasets.
/// A block owns its target's whole life — checking, encoding, decoding, describing, its loss, and rebuilding itself from
/// an export — so a new kind of target is one class (and, for a view other than text, its view); the views ask it
/// (<see cref="LabelsOf"/>, <see cref="PointsOf"/>, <see cref="DescribeDecoded"/>) instead of testing value types.
/// </summary>
public abstract class TargetBlock
{
    /// <summary>The kind of target (MultiLabel, Category, Points, Regression): shown, and written into exports.</summary>
    public abstract string Kind { get; }

    /// <summary>Numbers per item in the encoded target.</summary>
    public abstract int EncodedLength { get; }

    /// <summary>Model outputs the target needs (for a single category, the vocabulary size).</summary>
    public virtual int OutputCount => EncodedLength;

    /// <summary>The vocabulary, for categorical targets.</summary>
    public virtual Vocab? Vocab => null;

    /// <summary>Checks a getter's output and returns it in the block's canonical form; errors name the location.</summary>
    public abstract object Validate(object? raw, string location);

    /// <summary>A fitted copy that learnt from the training targets and checked the validation ones (canonical forms,
    /// with locations); this block stays as it was.</summary>
    public abstract TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid);

    /// <summary>Writes the encoded target of one item; <paramref name="points"/> are the item's points after its item
    /// transforms and <paramref name="width"/>×<paramref name="height"/> the image size then (points only).</summary>
    public abstract void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination);

    /// <summary>The points an item carries through its transforms (pixels), or null; also those of a decoded value,
    /// which views draw.</summary>
    public virtual IReadOnlyList<Point2>? PointsOf(object target) => null;

    /// <summary>A short human form of a canonical target (labels joined by ';', points, numbers).</summary>
    public abstract string Describe(object target);

    /// <summary>A short human form of a decoded value (what <see cref="Decode"/> and <see cref="DecodeTarget"/> return):
    /// titles, predictions' text, show_results' captions.</summary>
    public virtual string DescribeDecoded(object decoded) => Describe(decoded);

    /// <summary>A decoded value's label vector, for views that show labels as chips; null for other targets.</summary>
    public virtual LabelVector? LabelsOf(object decoded) => null;

    /// <summary>The fitted block an export describes, from its kind, vocabulary and outputs; the block checks that they
    /// fit together (an <see cref="InvalidDataException"/> says what does not).</summary>
    internal static TargetBlock FromExport(string kind, IReadOnlyList<string>? vocab, int outputs) =>
        (Exportable.FirstOrDefault(b => b.Kind == kind)
         ?? throw new InvalidDataException($"unknown target kind '{kind}'; known: {string.Join(", ", Exportable.Select(b => b.Kind))}.")).Refit(vocab, outputs);

    /// <summary>The length every target shares (points, values), learnt from the first; an item with another length is an
    /// error naming it, with <paramref name="mismatch"/>(its length, the common one) saying what is wrong.</summary>
    protected static int CommonLength(IEnumerable<(object Target, string Location)> items, Func<object, int> length, Func<int, int, string> mismatch)
    {
        int learnt = -1;
        foreach (var (target, location) in items)
        {
            int n = length(target);
            if (learnt < 0) learnt = n;
            else if (n != learnt) throw new InvalidDataException($"{location}: {mismatch(n, learnt)}");
        }
        return learnt;
    }

    /// <summary>The kinds of target an export can name. A new kind of target adds its block here.</summary>
    static readonly TargetBlock[] Exportable = [new MultiCategoryBlock(), new CategoryBlock(), new PointBlock(), new RegressionBlock()];

    /// <summary>This kind of block fitted as an export describes it (see <see cref="FromExport"/>).</summary>
    protected internal abstract TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs);

    /// <summary>fastai's default loss for this target (its activation is what predictions decode from).</summary>
    public abstract ILoss DefaultLoss();

    /// <summary>Turns one item's activated outputs (probabilities, values) into what the target means, for an image of
    /// the given size: a <see cref="LabelVector"/> cut at <paramref name="threshold"/>, the most likely label, points in
    /// pixels, or the numbers.</summary>
    public abstract object Decode(float[] activations, int width, int height, float threshold);

    /// <summary>Turns one item's encoded target (a row of <see cref="Data.Loading.Batch.Y"/> as floats) back into what it
    /// means; like <see cref="Decode"/> except for a category, whose target is an index.</summary>
    public virtual object DecodeTarget(float[] encoded, int width, int height) => Decode(encoded, width, height, 0.5f);

    /// <summary>The batch's points as a [n, k, 2] tensor that batch transforms move with the images, or null.</summary>
    internal virtual Tensor? PointTensor(float[] targets, int count, Device device) => null;

    /// <summary>The batch's targets as the loss takes them; <paramref name="movedPoints"/> is <see cref="PointTensor"/>
    /// after the batch transforms.</summary>
    internal virtual Tensor TargetTensor(float[] targets, int count, Tensor? movedPoints, Device device) =>
        Tensors.HostToDevice.FromArray(targets, device, count, EncodedLength);
}
