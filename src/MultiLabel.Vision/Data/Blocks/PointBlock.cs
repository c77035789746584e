using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>
/// Keypoints in pixels, moved with the image by every transform and scaled to [-1, 1] with the image size
/// (p' = p·2/size − 1; back with p = (p' + 1)·size/2), in (x, y) order. Every item must have the same number of
/// points. Points outside the image are kept as they are (AugTransforms can clamp them when asked); a NaN point
/// (e.g. a COCO keypoint that is not labelled) stays NaN.
/// </summary>
public sealed class PointBlock : TargetBlock
{
    readonly int count;

    /// <summary>A point block for a DataBlock; <c>Setup</c> learns the number of points from the training items.</summary>
    public PointBlock() : this(-1) { }

    PointBlock(int count) => this.count = count;

    /// <inheritdoc/>
    public override string Kind => "Points";
    /// <inheritdoc/>
    public override int EncodedLength => count < 0 ? throw new InvalidOperationException("The number of points is not known before Setup.") : count * 2;

    /// <summary>Points per item (known after Setup).</summary>
    public int PointCount => count;

    /// <inheritdoc/>
    public override object Validate(object? raw, string location)
    {
        Point2[] points = raw switch
        {
            Point2 p => [p],
            IEnumerable<Point2> ps => ps.ToArray(),
            IEnumerable<(float X, float Y)> ts => ts.Select(t => new Point2(t.X, t.Y)).ToArray(),
            IEnumerable<float> fs => Pairs(fs.ToArray(), location),
            IEnumerable<double> ds => Pairs(ds.Select(d => (float)d).ToArray(), location),
            null => throw new InvalidDataException($"{location}: the y getter returned null; PointBlock needs points."),
            _ => throw new InvalidDataException($"{location}: the y getter returned {raw.GetType().Name}; PointBlock needs Point2 values or x, y numbers."),
        };
        if (points.Length == 0) throw new InvalidDataException($"{location}: no points.");
        return points;
    }

    static Point2[] Pairs(float[] values, string location) =>
        values.Length % 2 == 0
            ? Enumerable.Range(0, values.Length / 2).Select(i => new Point2(values[2 * i], values[2 * i + 1])).ToArray()
            : throw new InvalidDataException($"{location}: {values.Length} numbers cannot be read as (x, y) pairs.");

    /// <inheritdoc/>
    public override TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid) =>
        new PointBlock(CommonLength(train.Concat(valid), t => ((Point2[])t).Length, (n, learnt) => $"{n} points, but other items have {learnt}; every item needs the same number."));

    /// <summary>A fitted block for <paramref name="points"/> points per item (a loaded export).</summary>
    internal static PointBlock Fitted(int points) => new(points);

    /// <inheritdoc/>
    public override IReadOnlyList<Point2>? PointsOf(object target) => (Point2[])target;

    /// <inheritdoc/>
    public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination)
    {
        var source = points ?? (Point2[])target;
        for (int i = 0; i < source.Count; i++)
        {
            var unit = source[i].ToUnit(width, height);
            destination[2 * i] = unit.X;
            destination[2 * i + 1] = unit.Y;
        }
    }

    /// <inheritdoc/>
    public override ILoss DefaultLoss() => new MSELossFlat();

    /// <summary>The points, from [-1, 1] to pixels of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public override object Decode(float[] activations, int width, int height, float threshold) =>
        Enumerable.Range(0, activations.Length / 2).Select(i => new Point2(activations[2 * i], activations[2 * i + 1]).ToPixels(width, height)).ToArray();

    internal override Tensor? PointTensor(float[] targets, int count, Device device) =>
        HostToDevice.FromArray(targets, device, count, EncodedLength / 2, 2);

    internal override Tensor TargetTensor(float[] targets, int count, Tensor? movedPoints, Device device) =>
        movedPoints ?? throw new InvalidOperationException("A point batch lost its points tensor.");

    /// <inheritdoc/>
    public override string Describe(object target) =>
        string.Join(" ", ((Point2[])target).Select(p => p.ToString()));

    /// <inheritdoc/>
    protected internal override TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs) =>
        outputs % 2 == 0 ? Fitted(outputs / 2) : throw new InvalidDataException($"a point export needs an even number of outputs, not {outputs}.");
}
