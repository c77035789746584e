using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>One or more real numbers per item (the same count for every item).</summary>
public sealed class RegressionBlock : TargetBlock
{
    readonly int count;

    /// <summary>A regression block for a DataBlock; <c>Setup</c> learns the number of values from the training items.</summary>
    public RegressionBlock() : this(-1) { }

    RegressionBlock(int count) => this.count = count;

    /// <summary>A fitted block for <paramref name="values"/> numbers per item (a loaded export).</summary>
    internal static RegressionBlock Fitted(int values) => new(values);

    /// <inheritdoc/>
    public override string Kind => "Regression";
    /// <inheritdoc/>
    public override int EncodedLength => count < 0 ? throw new InvalidOperationException("The number of outputs is not known before Setup.") : count;

    /// <inheritdoc/>
    public override object Validate(object? raw, string location)
    {
        float[] values = raw switch
        {
            float f => [f],
            double d => [(float)d],
            int i => [i],
            IEnumerable<float> fs => fs.ToArray(),
            IEnumerable<double> ds => ds.Select(d => (float)d).ToArray(),
            null => throw new InvalidDataException($"{location}: the y getter returned null; RegressionBlock needs numbers."),
            _ => throw new InvalidDataException($"{location}: the y getter returned {raw.GetType().Name}; RegressionBlock needs a number or numbers."),
        };
        if (values.Length == 0 || values.Any(v => !float.IsFinite(v))) throw new InvalidDataException($"{location}: targets must be finite numbers, got [{string.Join(", ", values)}].");
        return values;
    }

    /// <inheritdoc/>
    public override TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid) =>
        new RegressionBlock(CommonLength(train.Concat(valid), t => ((float[])t).Length, (n, learnt) => $"{n} values, but other items have {learnt}."));

    /// <inheritdoc/>
    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination) =>
        ((float[])target).CopyTo(destination);

    /// <inheritdoc/>
    public override ILoss DefaultLoss() => new MSELossFlat();

    /// <summary>The numbers themselves.</summary>
    public override object Decode(float[] activations, int width, int height, float threshold) => activations;

    /// <inheritdoc/>
    public override string Describe(object target) => string.Join(" ", ((float[])target).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    protected internal override TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs) => Fitted(outputs);
}
