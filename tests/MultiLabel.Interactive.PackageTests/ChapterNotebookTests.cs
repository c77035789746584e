using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The chapter notebooks executed by the main command through the real kernel: no error output, the
/// expected images and charts, metrics above their baselines.</summary>
[Collection(ChapterCollection.Name)]
public sealed class ChapterNotebookTests(ChapterRun run)
{
    [Fact]
    public void The_main_command_succeeds_and_writes_notebooks_html_and_results()
    {
        Assert.True(run.ExitCode == 0, run.Log);
        foreach (var name in new[] { "06a-multilabel", "06b-regression" })
        {
            Assert.True(File.Exists(run.File(name + ".ipynb")), name);
            Assert.True(File.Exists(run.File(name + ".html")), name);
            Assert.DoesNotContain(run.Outputs(name), o => o.Type == "error");
        }
        Assert.Contains("RESULT multilabel", run.Log);
        Assert.Contains("RESULT keypoints", run.Log);
        Assert.Contains("wall time:", run.Log);
    }

    [Fact]
    public void The_multi_label_notebook_shows_a_batch_a_loss_curve_and_a_threshold_sweep_and_beats_its_baselines()
    {
        var html = run.Outputs("06a-multilabel").Select(o => o.Html).ToList();
        var result = run.Result("06a-multilabel", "multilabel");

        Assert.Contains(html, h => h.Contains("class=\"ml-batch\"") && CountOf(h, "<figure") == 9);
        Assert.Contains(html, h => h.Contains("\"name\":\"train (smoothed)\"") && h.Contains("\"name\":\"valid\""));
        Assert.Contains(html, h => h.Contains("<table class=\"ml-epochs\">"));
        Assert.Contains(html, h => h.Contains("class=\"ml-sweep\"") && h.Contains("\"name\":\"accuracy_multi\""));
        Assert.Contains(html, h => h.Contains("<table class=\"ml-per-class\">"));
        Assert.Contains(run.Outputs("06a-multilabel"), o => o.Text.Contains("equal to float precision: True"));
        Assert.True(result["accuracy_multi@0.5"] > result["all_negative"], $"{result["accuracy_multi@0.5"]} vs {result["all_negative"]}");
        Assert.True(result["micro_f1"] > 0.5, $"micro-F1 {result["micro_f1"]}");
    }

    [Fact]
    public void The_keypoint_notebook_shows_dots_an_lr_finder_chart_results_and_beats_the_mean_predictor()
    {
        var html = run.Outputs("06b-regression").Select(o => o.Html).ToList();
        var result = run.Result("06b-regression", "keypoints");

        Assert.Contains(html, h => h.Contains("class=\"ml-batch\"") && CountOf(h, "<figure") >= 8 && CountOf(h, "<circle class=\"ml-point\"") == CountOf(h, "<figure"));
        Assert.Contains(html, h => h.Contains("class=\"ml-lrfind\"") && h.Contains("\"type\":\"log\"") && h.Contains("valley:"));
        Assert.Contains(html, h => h.Contains("\"name\":\"train (smoothed)\""));
        Assert.Contains(html, h => h.Contains("class=\"ml-results\"") && h.Contains("fill=\"#1f6fe0\""));
        Assert.True(result["valid_mse"] < 0.5 * result["mean_predictor_mse"], $"MSE {result["valid_mse"]} vs mean predictor {result["mean_predictor_mse"]}");
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
