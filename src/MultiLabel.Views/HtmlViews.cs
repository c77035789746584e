using MultiLabel.Native;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Training;
using Plotly.NET;

namespace MultiLabel.Views;

/// <summary>
/// The one list of the package's views: for each type, its HTML and its plain text. Notebook kernels and reports take
/// the same list, so a value looks the same in a notebook, in Jupyter and in a report page.
/// </summary>
public static class HtmlViews
{
    /// <summary>Adds every view of the package to <paramref name="sink"/>.</summary>
    public static void Describe(IViewSink sink)
    {
        sink.Add<HtmlFragment>(f => f.Html, f => f.Html);
        sink.Add<LabelVector>(LabelVectorHtml.Render, v => v.ToString());
        sink.Add<ValidationResult>(v => HtmlBuilder.El("pre", [("class", "ml-validate")], v.ToString()).Markup, v => v.ToString());
        // PyTorch's way of printing a tensor, not the object tree of its properties.
        sink.Add<TorchSharp.torch.Tensor>(t => HtmlBuilder.El("pre", [("class", "ml-tensor")], TensorText.Render(t)).Markup, TensorText.Render);
        sink.Add<RgbImage>(i => ImageTile.Render(i, $"{i.Width}×{i.Height}").Markup, i => i.ToString());
        sink.Add<EncodedItem>(EncodedItemHtml, e => $"({e.Image}, {TensorText.Render(e.Target)})");
        // fastai's dsets.train[0]: with blocks, the image and the encoded target; without, what the getters returned.
        sink.Add<DatasetItem>(d => d.HasBlocks ? EncodedItemHtml(d.Encode()) : HtmlBuilder.El("pre", [("class", "ml-dataset-item")], d.ToString()).Markup,
            d => d.HasBlocks ? d.Encode().ToString() : d.ToString());
        sink.Add<TorchRuntimeReport>(RuntimeReportHtml.Render, r => r.ToString());
        sink.Add<ShowBatchData>(ShowBatchHtml.Render, d => string.Join("\n", d.Items.Select(i => $"{i.Location}: {i.Title}")));
        sink.Add<ResultsList>(ResultsHtml.Render, r => string.Join("\n", r.Items.Select(i => $"{i.Location}: {i.Target} / {i.Predicted}")));
        sink.Add<DataLoaders>(ObjectHtml.DataLoaders, d => d.ToString());
        sink.Add<Learner>(ObjectHtml.Learner, l => l.ToString());
        sink.Add<LearnerSummary>(LearnerSummaryHtml.Render, s => s.ToString());
        sink.Add<Recorder>(ObjectHtml.Recorder, r => r.Table());
        sink.Add<LrFindResult>(ObjectHtml.LrFind, r => r.ToString());
        sink.Add<ThresholdSweep>(ObjectHtml.Sweep, s => $"best threshold {s.BestThreshold:0.###}: {s.BestAccuracy:0.####}");
        sink.Add<MultiLabelScores>(ObjectHtml.Scores, s => $"micro-F1 {s.MicroF1:0.####}, macro-F1 {s.MacroF1:0.####}, mAP {s.MeanAveragePrecision:0.####}");
        sink.AddChart<PlotView>(p => p.Chart, _ => "a chart");
        sink.AddChart<GenericChart>(c => c, _ => "a chart");
    }

    static string EncodedItemHtml(EncodedItem e) =>
        HtmlBuilder.El("div", [("class", "ml-item")], ImageTile.Render(e.Image, $"{e.Image.Width}×{e.Image.Height}"),
            HtmlBuilder.El("pre", $"({e.Image}, {TensorText.Render(e.Target)})")).Markup;
}
