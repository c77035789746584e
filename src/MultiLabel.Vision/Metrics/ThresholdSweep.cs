namespace MultiLabel.Vision.Metrics;

/// <summary>accuracy_multi of validation probabilities at each threshold (the chapter's linspace(0.05, 0.95, 29)),
/// the best global threshold, and per-class thresholds that maximise each class's F1.</summary>
public sealed record ThresholdSweep(IReadOnlyList<double> Thresholds, IReadOnlyList<double> Accuracies, double BestThreshold, double BestAccuracy)
{
    /// <summary>NumPy's <c>linspace</c>: <paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    public static IReadOnlyList<double> Linspace(double start, double end, int count) =>
        count == 1 ? [start] : Enumerable.Range(0, count).Select(i => start + (end - start) * i / (count - 1)).ToArray();

    /// <summary>Sweeps <paramref name="thresholds"/> (default 0.05..0.95 in 29 steps) over probabilities (already activated).</summary>
    public static ThresholdSweep Run(IReadOnlyList<float> probabilities, IReadOnlyList<float> targets, IReadOnlyList<double>? thresholds = null)
    {
        thresholds ??= Linspace(0.05, 0.95, 29);
        if (probabilities.Count != targets.Count || probabilities.Count == 0) throw new ArgumentException("The sweep needs as many probabilities as targets, and at least one.");
        var accuracies = thresholds.Select(th =>
        {
            long right = 0;
            for (int i = 0; i < probabilities.Count; i++) if ((probabilities[i] > th) == (targets[i] > 0.5f)) right++;
            return (double)right / probabilities.Count;
        }).ToArray();
        int best = Array.IndexOf(accuracies, accuracies.Max());
        return new ThresholdSweep(thresholds, accuracies, thresholds[best], accuracies[best]);
    }

    /// <summary>For each class the threshold (from <paramref name="candidates"/>) with the best F1 on that class.</summary>
    public static IReadOnlyList<float> PerClassThresholds(IReadOnlyList<float> probabilities, IReadOnlyList<float> targets, int classes, IReadOnlyList<double>? candidates = null)
    {
        candidates ??= Linspace(0.05, 0.95, 19);
        int n = probabilities.Count / classes;
        var result = new float[classes];
        for (int j = 0; j < classes; j++)
        {
            double bestF1 = -1;
            foreach (var th in candidates)
            {
                int tp = 0, fp = 0, fn = 0;
                for (int i = 0; i < n; i++)
                {
                    bool p = probabilities[i * classes + j] > th, t = targets[i * classes + j] > 0.5f;
                    if (p && t) tp++; else if (p) fp++; else if (t) fn++;
                }
                double f1 = 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
                if (f1 > bestF1) (bestF1, result[j]) = (f1, (float)th);
            }
        }
        return result;
    }
}
