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
        var item = KernelHarness.Html(await kernel.SubmitAsync("var dsets = dblock.Datasets(table.Rows.Take(8)); dsets.Encode(dsets.Train[0])"));

        Assert.Contains("<pre class=\"ml-tensor\">tensor([0., 1., 0.25])</pre>", oneD);
        Assert.Contains("tensor([[0.4464, -0.147],\n        [2., 3.]])", twoD);
        Assert.Contains("tensor([0, 1, 2, ..., 17, 18, 19])", longs);
        Assert.Contains("tensor([1.5], dtype=float64)", doubles);
        Assert.Contains("class=\"ml-item\"", item);
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

        Assert.Contains("<b>DataLoaders</b>", dls);
        Assert.Contains("vocab", dls);
        Assert.Contains("circle", dls); // the vocabulary lists the scene classes
        Assert.Contains("resnet18 body + fastai head", learn);
        Assert.Contains("<td>weights</td><td>random (not pretrained)</td>", learn.Replace(" style=\"text-align:left\"", ""));
        Assert.Contains("group 2", learn);
        Assert.Contains("last epoch", learn);
        Assert.Contains(">precision</td><td style=\"text-align:left\">float32</td>", learn);
        var mixed = KernelHarness.Html(await kernel.SubmitAsync("learn.ToBf16()")); // chains, as fastai's to_fp16
        Assert.Contains("bfloat16 with float32 master weights, channels-last", mixed);
        Assert.Contains("<table class=\"ml-epochs\">", history);
        Assert.Contains("\"name\":\"train (smoothed)\"", history);
        Assert.Contains("<table class=\"ml-per-class\">", scores);
        Assert.Contains("mAP", scores);
    }

    [Fact]
    public async Task Keypoint_results_show_each_target_beside_its_prediction_as_fastai_lays_them_out()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.Keypoints()));

        var html = KernelHarness.Html(await kernel.SubmitAsync("plearn.ShowResults(2)"));

        Assert.Equal(4, HtmlChecks.Count(html, "<figure"));
        Assert.Contains("grid-template-columns:repeat(2, max-content)", html);
        var captions = System.Text.RegularExpressions.Regex.Matches(html, "<figcaption[^>]*>([^<]*)</figcaption>").Select(m => m.Groups[1].Value);
        Assert.Equal(["target", "prediction", "target", "prediction"], captions);
        Assert.Equal(2, HtmlChecks.Count(html, "fill=\"red\""));       // one target point per item, on the left
        Assert.Equal(2, HtmlChecks.Count(html, "fill=\"#1f6fe0\""));   // one predicted point per item, on the right
    }
}
