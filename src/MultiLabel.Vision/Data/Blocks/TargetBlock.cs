using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>
/// How a target is checked, encoded for the model and decoded back (fastai's MultiCategoryBlock, CategoryBlock,
/// PointBlock, RegressionBlock). Blocks learn from the training items (e.g. the vocabulary) in <see cref="Setup"/>.
/// </summary>
public abstract class TargetBlock
{
    public abstract TargetKind Kind { get; }

    /// <summary>Numbers per item in the encoded target.</summary>
    public abstract int EncodedLength { get; }

    /// <summary>The vocabulary, for categorical targets.</summary>
    public virtual Vocab? Vocab => null;

    /// <summary>Checks a getter's output and returns it in the block's canonical form; errors name the location.</summary>
    public abstract object Validate(object? raw, string location);

    /// <summary>Learns from training targets and checks validation ones (canonical forms, with locations).</summary>
    public virtual void Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid) { }

    /// <summary>Writes the encoded target of one item; <paramref name="points"/> are the item's points after its item
    /// transforms and <paramref name="width"/>×<paramref name="height"/> the image size then (points only).</summary>
    public abstract void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination);

    /// <summary>The points an item carries through its transforms (pixels), or null.</summary>
    public virtual IReadOnlyList<Point2>? PointsOf(object target) => null;

    /// <summary>An unfitted copy (same settings), so that each Datasets learns its own vocabulary.</summary>
    public abstract TargetBlock Fresh();

    /// <summary>A short human form of a canonical target (labels joined by ';', points, numbers).</summary>
    public abstract string Describe(object target);
}
