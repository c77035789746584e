using System.Globalization;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Training;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>HTML for the objects a chapter notebook holds: loaders, learners, lr-finder results, training history,
/// threshold sweeps and multi-label scores.</summary>
static class ObjectHtml
{
    static string F(double v, string format = "0.0000") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    public static string DataLoaders(DataLoaders dls)
    {
        var rows = new List<string[]>
        {
            new[] { "train", $"{dls.Train.Items.Count} items, {dls.Train.Count} batches of {dls.Options.BatchSize}" },
            new[] { "valid", $"{dls.Valid.Items.Count} items, {dls.Valid.Count} batches" },
            new[] { "target", $"{dls.Kind}, {dls.OutputCount} outputs" },
            new[] { "device", dls.Device.type.ToString() },
        };
        if (dls.Vocab is { } vocab) rows.Add(["vocab", string.Join(", ", vocab)]);
        if (dls.Skipped.Count > 0) rows.Add(["skipped", $"{dls.Skipped.Count}: " + string.Join("; ", dls.Skipped.Take(5).Select(s => $"{s.Location}: {s.Reason}"))]);
        var samples = El("ul", [("style", "font:11px monospace")], dls.Train.Items.Take(3).Select(i => El("li", i.ToString())));
        return El("div", [("class", "ml-dls")], El("b", "DataLoaders"), Table(["", ""], rows, "ml-dls-table"), samples).Markup;
    }

    public static string Learner(Learner learn)
    {
        var rows = new List<string[]>
        {
            new[] { "model", learn.Info is { } info ? $"{info}{(info.YRange is { } r ? $", y_range ({r[0]}, {r[1]})" : "")}" : learn.Model.GetName() },
            new[] { "weights", learn.Info?.Weights ?? "as built by hand" },
            new[] { "loss", learn.Loss.Name },
            new[] { "metrics", string.Join(", ", learn.Metrics.Select(m => m.Name)) },
            new[] { "state", learn.IsFrozen ? "frozen (head and BatchNorm train)" : "unfrozen" },
            new[] { "precision", learn.PrecisionDescription },
            new[] { "device", learn.Dls.Device.type.ToString() },
        };
        rows.AddRange(learn.Groups.Select((g, i) => new[] { $"group {i}", g.ToString() }));
        if (learn.Recorder.Epochs.LastOrDefault() is { } last)
            rows.Add(["last epoch", $"train {F(last.TrainLoss)}, valid {F(last.ValidLoss)}" + string.Concat(last.Metrics.Select(m => $", {m.Key} {F(m.Value)}"))]);
        return El("div", [("class", "ml-learner")], El("b", "Learner"), Table(["", ""], rows, "ml-learner-table")).Markup;
    }

    public static Node EpochTable(Recorder recorder)
    {
        var table = recorder.EpochTable();
        return Table(table.Columns, table.Rows, "ml-epochs");
    }

    public static string Recorder(Recorder recorder) =>
        El("div", [("class", "ml-history")], EpochTable(recorder),
            recorder.Batches.Count > 0 ? Raw(ChartHtml.Render(TrainingCharts.Loss(recorder.Batches, recorder.Epochs))) : "").Markup;

    public static string LrFind(LrFindResult result) =>
        El("div", [("class", "ml-lrfind")], Raw(ChartHtml.Render(TrainingCharts.LrFind(result))),
            Table(["suggestion", "learning rate"], result.Suggestions.Select(s => new[] { s.Name, F(s.LearningRate, "0.###e+0") }), "ml-suggestions")).Markup;

    public static string Sweep(ThresholdSweep sweep) =>
        El("div", [("class", "ml-sweep")], Raw(ChartHtml.Render(TrainingCharts.Thresholds(sweep))),
            El("div", $"best threshold {F(sweep.BestThreshold, "0.###")}: accuracy_multi {F(sweep.BestAccuracy)}")).Markup;

    public static string Scores(MultiLabelScores s) =>
        El("div", [("class", "ml-scores")],
        Table(["accuracy_multi", "exact match", "micro P", "micro R", "micro F1", "macro F1", "samples F1", "mAP"],
            [[F(s.AccuracyMulti), F(s.ExactMatch), F(s.MicroPrecision), F(s.MicroRecall), F(s.MicroF1), F(s.MacroF1), F(s.SamplesF1), F(s.MeanAveragePrecision)]], "ml-summary"),
        Table(["label", "threshold", "precision", "recall", "F1", "support", "AP"],
            s.PerClass.Select((c, i) => new[] { c.Label, F(s.Thresholds[i], "0.##"), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture), c.AveragePrecision is { } ap ? F(ap) : "–" }), "ml-per-class")).Markup;
}
