using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>One or more real numbers per item (the same count for every item).</summary>
public sealed class RegressionBlock : TargetBlock
{
    int count = -1;

    public override TargetKind Kind => TargetKind.Regression;
    public override int EncodedLength => count < 0 ? throw new InvalidOperationException("The number of outputs is not known before Setup.") : count;

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

    public override void Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid)
    {
        foreach (var (target, location) in train.Concat(valid))
        {
            int n = ((float[])target).Length;
            if (count < 0) count = n;
            else if (n != count) throw new InvalidDataException($"{location}: {n} values, but other items have {count}.");
        }
    }

    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination) =>
        ((float[])target).CopyTo(destination);

    public override TargetBlock Fresh() => new RegressionBlock();

    public override string Describe(object target) => string.Join(" ", ((float[])target).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
}
