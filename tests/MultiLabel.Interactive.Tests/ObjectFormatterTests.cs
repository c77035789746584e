using Xunit;

namespace MultiLabel.Interactive.Tests;

public sealed class ObjectFormatterTests : IDisposable
{
    readonly KernelHarness kernel = new();

    public ObjectFormatterTests() => kernel.LoadExtensionAsync().GetAwaiter().GetResult();

    public void Dispose() => kernel.Dispose();

    [Fact]
    public async Task Tensors_print_as_PyTorch_prints_them_and_an_encoded_item_shows_its_image_and_target()
    {
        var oneD = KernelHarness.Html(await kernel.SubmitAsync("TorchSharp.torch.tensor(new float[] { 0, 1, 0.25f })"));
        var twoD = KernelHarness.Html(await kernel.SubmitAsync("TorchSharp.torch.tensor(new float[] { 0.44637f, -0.14695f, 2, 3 }).view(2, 2)"));
        var longs = KernelHarness.Html(await kernel.SubmitAsync("TorchSharp.torch.arange(20L)"));
        var doubles = KernelHarness.Html(await kernel.SubmitAsync("TorchSharp.torch.tensor(new double[] { 1.5 })"));
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));
        var item = KernelHarness.Html(await kernel.SubmitAsync("var dsets = dblock.Datasets(table.Rows.Take(8)); dsets.Train[0]"));

        Assert.Equal(["tensor([0., 1., 0.25])"], HtmlChecks.Texts(oneD, "pre.ml-tensor"));
        Assert.Contains("tensor([[0.4464, -0.147],\n        [2., 3.]])", twoD);
        Assert.Contains("tensor([0, 1, 2, ..., 17, 18, 19])", longs);
        Assert.Contains("tensor([1.5], dtype=float64)", doubles);
        Assert.Equal(1, HtmlChecks.Count(item, "div.ml-item figure"));
        Assert.Single(HtmlChecks.DecodeImages(item));
        Assert.Matches(@"tensor\(\[[01]\., [01]\., [01]\.", item); // a one-hot row over the vocabulary
    }

    [Fact]
    public async Task Loaders_learners_history_and_scores_have_html_views()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));
        KernelHarness.Succeeded(await kernel.SubmitAsync("learn.Fit(1, 1e-3);"));

        var dls = KernelHarness.Html(await kernel.SubmitAsync("dls"));
        var learn = KernelHarness.Html(await kernel.SubmitAsync("learn"));
        var history = KernelHarness.Html(await kernel.SubmitAsync("learn.Recorder"));
        var scores = KernelHarness.Html(await kernel.SubmitAsync(
            "var p = learn.GetPreds(); MultiLabelScores.Compute(p.Activations, p.Targets, dls.Vocab!, 0.5f)"));

        Assert.Equal(["DataLoaders"], HtmlChecks.Texts(dls, "div.ml-dls > b"));
        Assert.Contains("circle", HtmlChecks.Pairs(dls, "table.ml-dls-table")["vocab"].Split(", ")); // the scene classes
        var summary = HtmlChecks.Pairs(learn, "table.ml-learner-table");
        Assert.StartsWith("resnet18 body + fastai head", summary["model"]);
        Assert.Equal("random (not pretrained)", summary["weights"]);
        Assert.Contains("group 2", summary.Keys);
        Assert.StartsWith("train ", summary["last epoch"]);
        Assert.Equal("float32", summary["precision"]);
        var mixed = KernelHarness.Html(await kernel.SubmitAsync("learn.ToBf16()")); // chains, as fastai's to_fp16
        Assert.Equal("bfloat16 with float32 master weights, channels-last", HtmlChecks.Pairs(mixed, "table.ml-learner-table")["precision"]);
        Assert.Single(HtmlChecks.Rows(history, "table.ml-epochs"));
        Assert.Contains("\"name\":\"train (smoothed)\"", history);
        Assert.True(kernel.CSharp.TryGetValue<MultiLabel.Vision.Data.Loading.DataLoaders>("dls", out var loaders));
        Assert.Equal(loaders.Vocab!, HtmlChecks.Rows(scores, "table.ml-per-class").Select(r => r[0])); // one row per label
        Assert.Contains("mAP", HtmlChecks.Texts(scores, "table.ml-summary th"));
    }

    [Fact]
    public async Task Keypoint_results_show_each_target_beside_its_prediction_as_fastai_lays_them_out()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.Keypoints()));

        var html = KernelHarness.Html(await kernel.SubmitAsync("plearn.ShowResults(2)"));

        var tiles = HtmlChecks.All(html, "div.ml-results td > figure");
        Assert.Equal(4, tiles.Count);
        Assert.Equal("2", HtmlChecks.All(html, "div.ml-results").Single().GetAttribute("data-columns"));
        Assert.Equal(["target", "prediction", "target", "prediction"], tiles.Select(t => t.QuerySelector("figcaption")!.TextContent));
        // One target point per item on the left, one predicted point on the right.
        Assert.All(tiles.Where((_, i) => i % 2 == 0), t => Assert.Single(HtmlChecks.TileSvg(t)!.QuerySelectorAll("circle[fill=red]")));
        Assert.All(tiles.Where((_, i) => i % 2 == 1), t => Assert.Single(HtmlChecks.TileSvg(t)!.QuerySelectorAll("circle[fill='#1f6fe0']")));
    }
}
