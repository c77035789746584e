using MultiLabel.Vision.Data.Loading;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Metrics;

/// <summary>A metric computed once on all of an epoch's validation predictions (F1, exact match, mAP): collects sigmoid
/// probabilities and targets, then scores them with <see cref="MultiLabelScores"/>.</summary>
public sealed class MultiLabelMetric(string name, Func<MultiLabelScores, double> pick, float threshold = 0.5f) : IMetric
{
    readonly List<float> probabilities = [];
    readonly List<float> targets = [];
    int classes;

    /// <inheritdoc/>
    public string Name { get; } = name;
    /// <summary>Probabilities above it count as predicted present.</summary>
    public float Threshold { get; } = threshold;
    /// <inheritdoc/>
    public void Reset() { probabilities.Clear(); targets.Clear(); }

    /// <inheritdoc/>
    public void Accumulate(Tensor output, Tensor target, Batch batch)
    {
        using var scope = NewDisposeScope();
        classes = (int)output.shape[^1];
        probabilities.AddRange(output.sigmoid().cpu().data<float>().ToArray());
        targets.AddRange(target.to(ScalarType.Float32).cpu().data<float>().ToArray());
    }

    /// <inheritdoc/>
    public double Value => probabilities.Count == 0 ? double.NaN
        : pick(MultiLabelScores.Compute(probabilities, targets, Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray(), Threshold));

    /// <summary>F1 over all cells pooled (sklearn's <c>average='micro'</c>).</summary>
    public static MultiLabelMetric F1Micro(float threshold = 0.5f) => new("f1_micro", s => s.MicroF1, threshold);
    /// <summary>The mean of each class's F1 (sklearn's <c>average='macro'</c>).</summary>
    public static MultiLabelMetric F1Macro(float threshold = 0.5f) => new("f1_macro", s => s.MacroF1, threshold);
    /// <summary>The mean of each item's F1 (sklearn's <c>average='samples'</c>).</summary>
    public static MultiLabelMetric F1Samples(float threshold = 0.5f) => new("f1_samples", s => s.SamplesF1, threshold);
    /// <summary>The share of items whose every label is right (subset accuracy).</summary>
    public static MultiLabelMetric ExactMatch(float threshold = 0.5f) => new("exact_match", s => s.ExactMatch, threshold);
    /// <summary>The mean over classes with a positive of their average precision (threshold-free).</summary>
    public static MultiLabelMetric MeanAveragePrecision() => new("mAP", s => s.MeanAveragePrecision);
}
