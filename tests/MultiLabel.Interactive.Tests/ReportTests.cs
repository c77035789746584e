using MultiLabel.Views;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Interactive.Tests;

/// <summary>The views without a kernel: a <see cref="Report"/> built by plain code holds the same views a notebook shows,
/// in one page that carries plotly.js once and its images inline.</summary>
public sealed class ReportTests
{
    [Fact]
    public void A_report_holds_the_notebooks_views_with_plotly_once_and_inline_images()
    {
        MultiLabel.Native.TorchRuntime.Initialize(); // what a program does first (the kernel extension does it on load)
        using var scope = NewDisposeScope();
        var folder = Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick");
        var table = Table.ReadCsv(Path.Combine(folder, "train.csv"));
        var dls = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => Path.Combine(folder, "train", r["fname"]),
                r => r["labels"].Split(' '), Splitters.RandomSplitter<TableRow>(0.25, seed: 1), itemTfms: [new RandomResizedCrop(32, minScale: 0.35)])
            .DataLoaders(table.Rows.Take(64), batchSize: 8, device: CPU, workers: 2);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);
        learn.Fit(1, 1e-3);
        var summary = learn.Summary();
        var report = new Report("06a <multi-label>")
            .Heading("Data").Add(dls.ShowBatch(4)).Add(dls)
            .Heading("Training").Add(learn).Add(learn.Recorder).Add(summary)
            .Text("validation: " + learn.Validate())
            .Add(tensor(new float[] { 0, 1, 0.25f }))
            .Add(learn.ShowResults(2))
            .Add(Plot.Line([0.0, 1, 2], [1.0, 0.5, 0.25]));

        var html = report.Html();

        Assert.Equal(["06a <multi-label>"], HtmlChecks.Texts(html, "title"));
        Assert.Equal(["Data", "Training"], HtmlChecks.Texts(html, "h2"));
        Assert.Equal(1, HtmlChecks.All(html, "script").Count(s => s.TextContent.Contains("plotly.js v", StringComparison.Ordinal)));
        Assert.Equal(2, HtmlChecks.Count(html, ".ml-plot")); // the loss curve and the line plot, without a library each
        Assert.Equal(4 + 2, HtmlChecks.DecodeImages(html).Count); // the batch and the results
        Assert.Single(HtmlChecks.Rows(html, "table.ml-epochs"));
        Assert.Equal(["tensor([0., 1., 0.25])"], HtmlChecks.Texts(html, "pre.ml-tensor"));
        Assert.StartsWith("validation: (#", HtmlChecks.Texts(html, "p").Single());
        Assert.Empty(HtmlChecks.All(html, "[src^=http], [href^=http]")); // nothing from a network
        // learn.summary(): a row per layer, then the totals.
        Assert.Equal(summary.Layers.Count, HtmlChecks.Rows(html, "table.ml-summary-layers").Count);
        // ResNet-18's body (11,176,512) and fastai's head for 512 features: 2,048 + 524,288 + 1,024 + 512 per label.
        long total = 11_176_512 + 527_360 + 512L * dls.Vocab!.Count;
        Assert.Contains(total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), HtmlChecks.Texts(html, "table.ml-summary-totals td"));
        Assert.Equal(11, report.Count); // 2 headings, 1 text, 8 values
    }

    [Fact]
    public void A_value_without_a_view_is_text_and_the_page_is_written_whole()
    {
        using var temp = new TempFolder();
        var report = new Report("plain").Add(new Uri("https://example.org/<b>")).Text("a < b");

        var path = report.Save(temp.File("sub/report.html"));

        var html = File.ReadAllText(path);
        Assert.Equal(["https://example.org/<b>"], HtmlChecks.Texts(html, "pre.ml-text"));
        Assert.Equal(["a < b"], HtmlChecks.Texts(html, "p"));
        Assert.Empty(HtmlChecks.All(html, "b")); // text stays text
        Assert.Empty(HtmlChecks.All(html, "script")); // no chart, no plotly.js
        Assert.Equal([path], Directory.GetFiles(temp.File("sub")));
    }
}
