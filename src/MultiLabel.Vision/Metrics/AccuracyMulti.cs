using MultiLabel.Vision.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Metrics;

/// <summary>fastai's accuracy_multi: the mean over all N×C cells of ((σ(x) if sigmoid else x) &gt; thresh) == target.
/// Dominated by negatives when labels are sparse — see <see cref="MultiLabelScores"/> for F1 and mAP.</summary>
public sealed class AccuracyMulti(float threshold = 0.5f, bool sigmoid = true) : IMetric
{
    double correct;
    long cells;

    /// <summary>A cell counts as predicted present above it (the chapter uses 0.2).</summary>
    public float Threshold { get; } = threshold;
    /// <summary>Whether outputs are logits that need a sigmoid first (true for model outputs).</summary>
    public bool Sigmoid { get; } = sigmoid;
    /// <inheritdoc/>
    public string Name => "accuracy_multi";

    /// <inheritdoc/>
    public void Reset() => (correct, cells) = (0, 0);

    /// <inheritdoc/>
    public void Accumulate(Tensor output, Tensor target, Batch batch)
    {
        using var scope = NewDisposeScope();
        var p = Sigmoid ? output.sigmoid() : output;
        using var threshold = Threshold.ToScalar(); // held for the call (see Scalars)
        correct += p.gt(threshold).eq(target.to(ScalarType.Bool)).sum().item<long>();
        cells += output.numel();
    }

    /// <inheritdoc/>
    public double Value => cells == 0 ? double.NaN : correct / cells;

    /// <summary>The metric on whole tensors at once (predictions as logits when <paramref name="sigmoid"/>).</summary>
    public static double Compute(Tensor predictions, Tensor targets, float threshold = 0.5f, bool sigmoid = true)
    {
        using var scope = NewDisposeScope();
        var p = sigmoid ? predictions.sigmoid() : predictions;
        using var cut = threshold.ToScalar(); // held for the call (see Scalars)
        return p.gt(cut).eq(targets.to(ScalarType.Bool)).to(ScalarType.Float64).mean().item<double>();
    }
}
