using MultiLabel.Vision.Imaging;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Interactive.Charts;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Native;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Formatting;

/// <summary>Registers HTML (and plain-text) formatters for the engine's objects.</summary>
static class Formatters
{
    public static void Register()
    {
        Formatter.Register<HtmlFragment>((f, w) => w.Write(f.Html), HtmlFormatter.MimeType);
        Html<LabelVector>(LabelVectorHtml.Render, v => v.ToString());
        Html<ValidationResult>(v => HtmlBuilder.El("pre", [("class", "ml-validate")], v.ToString()).Markup, v => v.ToString());
        // PyTorch's way of printing a tensor, not the object tree of its properties.
        Html<TorchSharp.torch.Tensor>(t => HtmlBuilder.El("pre", [("class", "ml-tensor")], TensorText.Render(t)).Markup, TensorText.Render);
        Html<RgbImage>(i => ImageTile.Render(i, $"{i.Width}×{i.Height}").Markup, i => i.ToString());
        Html<EncodedItem>(EncodedItemHtml, e => $"({e.Image}, {TensorText.Render(e.Target)})");
        // fastai's dsets.train[0]: with blocks, the image and the encoded target; without, what the getters returned.
        Html<DatasetItem>(d => d.HasBlocks ? EncodedItemHtml(d.Encode()) : HtmlBuilder.El("pre", [("class", "ml-dataset-item")], d.ToString()).Markup,
            d => d.HasBlocks ? d.Encode().ToString() : d.ToString());
        Html<TorchRuntimeReport>(RuntimeReportHtml.Render, r => r.ToString());
        Html<ShowBatchData>(ShowBatchHtml.Render, d => string.Join("\n", d.Items.Select(i => $"{i.Location}: {i.Title}")));
        Html<ResultsList>(ResultsHtml.Render, r => string.Join("\n", r.Items.Select(i => $"{i.Location}: {i.Target} / {i.Predicted}")));
        Html<DataLoaders>(ObjectHtml.DataLoaders, d => d.ToString());
        Html<Learner>(ObjectHtml.Learner, l => l.ToString());
        Html<Recorder>(ObjectHtml.Recorder, r => r.Table());
        Html<LrFindResult>(ObjectHtml.LrFind, r => r.ToString());
        Html<ThresholdSweep>(ObjectHtml.Sweep, s => $"best threshold {s.BestThreshold:0.###}: {s.BestAccuracy:0.####}");
        Html<MultiLabelScores>(ObjectHtml.Scores, s => $"micro-F1 {s.MicroF1:0.####}, macro-F1 {s.MacroF1:0.####}, mAP {s.MeanAveragePrecision:0.####}");
        PlotlyFormatter.Register();
    }

    static string EncodedItemHtml(EncodedItem e) =>
        HtmlBuilder.El("div", [("class", "ml-item")], ImageTile.Render(e.Image, $"{e.Image.Width}×{e.Image.Height}"),
            HtmlBuilder.El("pre", $"({e.Image}, {TensorText.Render(e.Target)})")).Markup;

    static void Html<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
    }
}
