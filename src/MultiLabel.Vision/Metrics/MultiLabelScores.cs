namespace MultiLabel.Vision.Metrics;

/// <summary>One class's scores at a threshold, with its average precision (null when it has no positive).</summary>
public sealed record ClassScores(string Label, double Precision, double Recall, double F1, int Support, double? AveragePrecision);

/// <summary>
/// Multi-label scores on probabilities (sklearn's definitions, zero_division 0): exact-match (subset) accuracy,
/// micro / macro / samples precision, recall and F1, per-class scores and mean average precision (over classes that
/// have a positive). <see cref="Thresholds"/> are per class (all equal for a global threshold).
/// </summary>
public sealed record MultiLabelScores(
    double AccuracyMulti, double ExactMatch, double MicroPrecision, double MicroRecall, double MicroF1,
    double MacroF1, double SamplesF1, double MeanAveragePrecision, IReadOnlyList<ClassScores> PerClass, IReadOnlyList<float> Thresholds)
{
    /// <summary>Scores of <paramref name="probabilities"/> (N×C, row-major) against 0/1 <paramref name="targets"/>.</summary>
    public static MultiLabelScores Compute(IReadOnlyList<float> probabilities, IReadOnlyList<float> targets, IReadOnlyList<string> vocab, float threshold = 0.5f) =>
        Compute(probabilities, targets, vocab, Enumerable.Repeat(threshold, vocab.Count).ToArray());

    /// <summary>Scores of <paramref name="probabilities"/> (N×C, row-major) against 0/1 <paramref name="targets"/>, with one
    /// threshold per class of <paramref name="vocab"/>.</summary>
    public static MultiLabelScores Compute(IReadOnlyList<float> probabilities, IReadOnlyList<float> targets, IReadOnlyList<string> vocab, IReadOnlyList<float> thresholds)
    {
        int c = vocab.Count;
        if (c == 0 || probabilities.Count != targets.Count || probabilities.Count % c != 0 || thresholds.Count != c)
            throw new ArgumentException($"Scores need N×{c} probabilities and targets and {c} thresholds (got {probabilities.Count}, {targets.Count}, {thresholds.Count}).");
        int n = probabilities.Count / c;
        var tp = new int[c]; var fp = new int[c]; var fn = new int[c];
        int exact = 0, cellsRight = 0;
        double samplesF1 = 0;
        for (int i = 0; i < n; i++)
        {
            int rowTp = 0, rowPred = 0, rowTrue = 0;
            bool allRight = true;
            for (int j = 0; j < c; j++)
            {
                bool predicted = probabilities[i * c + j] > thresholds[j], actual = targets[i * c + j] > 0.5f;
                if (predicted && actual) { tp[j]++; rowTp++; }
                else if (predicted) fp[j]++;
                else if (actual) fn[j]++;
                if (predicted) rowPred++;
                if (actual) rowTrue++;
                if (predicted == actual) cellsRight++; else allRight = false;
            }
            if (allRight) exact++;
            samplesF1 += rowPred + rowTrue == 0 ? 0 : 2.0 * rowTp / (rowPred + rowTrue);
        }
        var perClass = Enumerable.Range(0, c).Select(j => new ClassScores(vocab[j],
            Ratio(tp[j], tp[j] + fp[j]), Ratio(tp[j], tp[j] + fn[j]), Ratio(2 * tp[j], 2 * tp[j] + fp[j] + fn[j]), tp[j] + fn[j],
            AveragePrecision(probabilities, targets, n, c, j))).ToList();
        int tpAll = tp.Sum(), fpAll = fp.Sum(), fnAll = fn.Sum();
        var aps = perClass.Where(p => p.AveragePrecision is not null).Select(p => p.AveragePrecision!.Value).ToList();
        return new MultiLabelScores(
            n == 0 ? double.NaN : (double)cellsRight / (n * c), n == 0 ? double.NaN : (double)exact / n,
            Ratio(tpAll, tpAll + fpAll), Ratio(tpAll, tpAll + fnAll), Ratio(2 * tpAll, 2 * tpAll + fpAll + fnAll),
            perClass.Average(p => p.F1), n == 0 ? double.NaN : samplesF1 / n, aps.Count == 0 ? double.NaN : aps.Average(),
            perClass, thresholds.ToArray());
    }

    /// <summary>sklearn's average_precision_score for one class: Σ (Rₖ − Rₖ₋₁)·Pₖ over the ranking by probability.</summary>
    public static double? AveragePrecision(IReadOnlyList<float> probabilities, IReadOnlyList<float> targets, int n, int c, int j)
    {
        int positives = 0;
        for (int i = 0; i < n; i++) if (targets[i * c + j] > 0.5f) positives++;
        if (positives == 0) return null;
        var order = Enumerable.Range(0, n).OrderByDescending(i => probabilities[i * c + j]).ToArray();
        double ap = 0, previousRecall = 0;
        int truePositives = 0, k = 0;
        while (k < n)
        {
            // Ties share one threshold: advance over every item with the same score before scoring.
            float score = probabilities[order[k] * c + j];
            while (k < n && probabilities[order[k] * c + j] == score) { if (targets[order[k] * c + j] > 0.5f) truePositives++; k++; }
            double recall = (double)truePositives / positives, precision = (double)truePositives / k;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}
