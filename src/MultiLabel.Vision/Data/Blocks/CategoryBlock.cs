using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>One label per item: vocabulary sorted from the training labels, target the label's index.</summary>
public sealed class CategoryBlock(IEnumerable<string>? vocab = null) : TargetBlock
{
    readonly IReadOnlyList<string>? fixedVocab = vocab?.ToList();
    Vocab? vocab = vocab is null ? null : new Vocab(vocab);

    public override TargetKind Kind => TargetKind.Category;
    public override Vocab? Vocab => vocab;
    public override int EncodedLength => 1;

    public override object Validate(object? raw, string location) => raw switch
    {
        null => throw new InvalidDataException($"{location}: the y getter returned null; CategoryBlock needs a label."),
        string s when string.IsNullOrWhiteSpace(s) => throw new InvalidDataException($"{location}: the label is empty."),
        string s => s,
        _ => raw.ToString() ?? throw new InvalidDataException($"{location}: the label is empty."),
    };

    public override void Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid)
    {
        vocab = fixedVocab is not null ? new Vocab(fixedVocab) : new Vocab(train.Select(t => (string)t.Target));
        foreach (var (target, location) in train.Concat(valid))
            if (!vocab.Contains((string)target))
                throw new InvalidDataException($"{location}: label '{target}' is not in the training set's labels, so the model could not learn it.");
    }

    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination) =>
        destination[0] = vocab!.IndexOf((string)target);

    public override TargetBlock Fresh() => new CategoryBlock(fixedVocab);

    public override string Describe(object target) => (string)target;
}
