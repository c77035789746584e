using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

public sealed class MetricsTests
{
    [Fact]
    public void Accuracy_multi_is_the_mean_over_cells_of_thresholded_sigmoid_equal_target()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, -1, 0.5f, -3 }).view(2, 2);   // σ = .881 .269 .622 .047
        var targets = tensor(new float[] { 1, 0, 0, 0 }).view(2, 2);

        Assert.Equal(0.75, AccuracyMulti.Compute(logits, targets, 0.5f), 10);
        Assert.Equal(1.0, AccuracyMulti.Compute(logits, targets, 0.7f), 10);
        Assert.Equal(0.5, AccuracyMulti.Compute(logits.sigmoid(), targets, 0.2f, sigmoid: false), 10);
    }

    [Fact]
    public void Multi_label_scores_match_hand_computed_values()
    {
        float[] probs = [0.9f, 0.2f, 0.6f, 0.7f, 0.1f, 0.4f];
        float[] targets = [1, 0, 0, 1, 1, 1];

        var s = MultiLabelScores.Compute(probs, targets, ["a", "b"]);

        Assert.Equal(1.0 / 3, s.ExactMatch, 10);
        Assert.Equal(2.0 / 3, s.MicroPrecision, 10);
        Assert.Equal(0.5, s.MicroRecall, 10);
        Assert.Equal(4.0 / 7, s.MicroF1, 10);
        Assert.Equal((0.5 + 2.0 / 3) / 2, s.MacroF1, 10);
        Assert.Equal((1 + 2.0 / 3 + 0) / 3, s.SamplesF1, 10);
        Assert.Equal(0.5 + 0.5 * 2 / 3, s.PerClass[0].AveragePrecision!.Value, 10);
        Assert.Equal(1.0, s.PerClass[1].AveragePrecision!.Value, 10);
        Assert.Equal((0.5 + 1.0 / 3 + 1.0) / 2, s.MeanAveragePrecision, 10);
        Assert.Equal((0.5, 0.5, 0.5, 2), (s.PerClass[0].Precision, s.PerClass[0].Recall, s.PerClass[0].F1, s.PerClass[0].Support));
        Assert.Equal(3.0 / 6, s.AccuracyMulti, 10); // right: (0,0) (0,1) (1,1)
    }

    [Fact]
    public void The_sweep_finds_the_best_global_threshold_and_per_class_thresholds()
    {
        float[] probs = [0.3f, 0.9f, 0.25f, 0.1f, 0.35f, 0.8f];
        float[] targets = [1, 1, 1, 0, 1, 1];

        var sweep = ThresholdSweep.Run(probs, targets, [0.2, 0.5, 0.95]);
        var perClass = ThresholdSweep.PerClassThresholds(probs, targets, 2, [0.2, 0.5]);

        Assert.Equal([1.0, 3.0 / 6, 1.0 / 6], sweep.Accuracies.ToArray(), new ApproxComparer());
        Assert.Equal(0.2, sweep.BestThreshold);
        Assert.Equal([0.2f, 0.2f], perClass);
        Assert.Equal(29, ThresholdSweep.Linspace(0.05, 0.95, 29).Count);
        Assert.Equal(0.5, ThresholdSweep.Linspace(0.05, 0.95, 29)[14], 10);
    }

    [Fact]
    public void The_chapters_hand_written_bce_equals_the_library_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn(8, 10) * 3;
        var t = (rand(8, 10) > 0.7).to(ScalarType.Float32);

        var p = x.sigmoid();
        var handWritten = -where(t == 1, p, 1 - p).log().mean();
        var library = new BCEWithLogitsLossFlat().Compute(x, t);

        Assert.Equal(handWritten.item<float>(), library.item<float>(), 5);
    }

    [Fact]
    public void Mse_leaves_out_nan_targets()
    {
        using var scope = NewDisposeScope();
        var output = tensor(new float[] { 0.5f, 0.5f, 1, 1 }).view(1, 4);
        var target = tensor(new float[] { 0, 0, float.NaN, float.NaN }).view(1, 2, 2);

        Assert.Equal(0.25f, new MSELossFlat().Compute(output, target).item<float>(), 6);
    }

    sealed class ApproxComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-9;
        public int GetHashCode(double v) => 0;
    }
}
