using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace MultiLabel.Views;

/// <summary>The chapter's charts with Plotly.NET: loss curves, the learning-rate finder, the threshold sweep.</summary>
public static class TrainingCharts
{
    /// <summary>Smoothed training loss per batch and validation loss at the end of each epoch, against iterations
    /// counted over every fit recorded (fine_tune's frozen and unfrozen fits follow each other instead of overlapping).</summary>
    public static GenericChart Loss(IReadOnlyList<BatchRecord> batches, IReadOnlyList<EpochRecord> epochs)
    {
        var traces = new List<GenericChart>
        {
            Chart.Line<int, double, string>(x: Enumerable.Range(1, batches.Count).ToArray(), y: batches.Select(b => b.SmoothLoss).ToArray(), Name: "train (smoothed)"),
        };
        if (epochs.Count > 0 && batches.Count > 0)
        {
            int perEpoch = Math.Max(1, batches[^1].BatchesPerEpoch);
            var x = epochs.Select((e, i) => Math.Min(batches.Count, (i + 1) * perEpoch)).ToArray();
            traces.Add(Chart.Line<int, double, string>(x: x, y: epochs.Select(e => e.ValidLoss).ToArray(), Name: "valid", ShowMarkers: true));
        }
        return Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "iteration")
            .WithYAxisStyle<double, double, string>(TitleText: "loss")
            .WithSize(720, 360);
    }

    /// <summary>Loss against learning rate on a log axis, one marker per suggestion.</summary>
    public static GenericChart LrFind(LrFindResult result)
    {
        var traces = new List<GenericChart>
        {
            Chart.Line<double, double, string>(x: result.LearningRates.ToArray(), y: result.Losses.ToArray(), Name: "loss"),
        };
        foreach (var s in result.Suggestions.Where(s => double.IsFinite(s.MarkLr) && double.IsFinite(s.MarkLoss)))
            traces.Add(Chart.Point<double, double, string>(x: [s.MarkLr], y: [s.MarkLoss], Name: $"{s.Name}: {s.LearningRate:0.##e+0}"));
        return Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "learning rate (log)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "loss")
            .WithSize(720, 360);
    }

    /// <summary>accuracy_multi against the threshold, with the best marked.</summary>
    public static GenericChart Thresholds(ThresholdSweep sweep) =>
        Chart.Combine(
            [
                Chart.Line<double, double, string>(x: sweep.Thresholds.ToArray(), y: sweep.Accuracies.ToArray(), Name: "accuracy_multi", ShowMarkers: true),
                Chart.Point<double, double, string>(x: [sweep.BestThreshold], y: [sweep.BestAccuracy], Name: $"best {sweep.BestThreshold:0.###}: {sweep.BestAccuracy:0.####}"),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "threshold")
            .WithYAxisStyle<double, double, string>(TitleText: "accuracy_multi")
            .WithSize(720, 360);
}
