using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The chapter notebooks as the main command executes and saves them: no error output, the book's story in
/// numbers (the thresholds a reader should see on the bundled data), every chapter step, and one final output per
/// display.</summary>
[Collection(ChapterCollection.Name)]
public sealed class ChapterNotebookTests(ChapterRun run)
{
    static readonly string[] Chapter = ["06a-multilabel", "06b-regression"];

    [Fact]
    public void The_main_command_succeeds_and_writes_notebooks_html_and_results()
    {
        Assert.True(run.ExitCode == 0, run.Log);
        foreach (var name in Chapter)
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
    public void The_notebooks_get_the_books_data_as_fastai_does_downloaded_checked_and_extracted_into_FASTAI_HOME()
    {
        Assert.Equal(2, run.ArchiveRequests); // one download per archive
        Assert.True(File.Exists(Path.Combine(run.FastaiHome, "config.ini")));
        Assert.True(File.Exists(Path.Combine(run.FastaiHome, "archive", "pascal_2007.tgz")));
        Assert.True(File.Exists(Path.Combine(run.FastaiHome, "data", "pascal_2007", "train.csv")));
        Assert.True(File.Exists(Path.Combine(run.FastaiHome, "data", "biwi_head_pose", "13.obj")));
        foreach (var (name, folder) in new[] { ("06a-multilabel", "pascal_2007"), ("06b-regression", "biwi_head_pose") })
        {
            var dataCell = run.Cells(name).Single(c => c.Source.Contains("UntarData(Urls.", StringComparison.Ordinal));
            var text = string.Concat(dataCell.Outputs.Select(o => o.Text + o.Html));
            Assert.Contains($"data: {Path.Combine(run.FastaiHome, "data", folder)};", text);
            Assert.DoesNotContain("stand-in", text);
            // The download showed one bar, saved complete.
            var bar = Assert.Single(dataCell.Outputs, o => HtmlChecks.Count(o.Html, "div.ml-download") == 1);
            Assert.Matches(@"downloading (PASCAL_2007|BIWI_HEAD_POSE) \(\w+\.tgz\): .*MB", HtmlChecks.Texts(bar.Html, "div.ml-download").Single());
        }
    }

    [Fact]
    public void The_multi_label_model_works_as_the_book_shows()
    {
        var r = run.Result("06a-multilabel", "multilabel");

        Assert.True(r["accuracy_multi@0.2"] >= 0.95, $"accuracy_multi at 0.2: {r["accuracy_multi@0.2"]}");
        Assert.True(r["micro_f1"] >= 0.85, $"micro-F1 at the chosen threshold: {r["micro_f1"]}");
        Assert.True(r["mAP"] >= 0.85, $"mAP: {r["mAP"]}");
        Assert.True(r["accuracy_multi@0.2"] > r["all_negative"] + 0.05, $"{r["accuracy_multi@0.2"]} vs answering no everywhere {r["all_negative"]}");
        // The sweep has a visible peak: both ends are clearly below the best threshold.
        Assert.True(r["best_accuracy"] - r["sweep_at_0.05"] >= 0.01 && r["best_accuracy"] - r["sweep_at_0.95"] >= 0.01,
            $"best {r["best_accuracy"]} at {r["best_threshold"]}, ends {r["sweep_at_0.05"]} / {r["sweep_at_0.95"]}");
    }

    [Fact]
    public void The_keypoint_model_beats_the_mean_predictor_in_every_epoch_and_ends_ten_times_better()
    {
        var r = run.Result("06b-regression", "keypoints");

        Assert.True(r["worst_epoch_mse"] < r["mean_predictor_mse"], $"worst epoch MSE {r["worst_epoch_mse"]} vs mean predictor {r["mean_predictor_mse"]}");
        Assert.True(r["valid_mse"] <= 0.1 * r["mean_predictor_mse"], $"MSE {r["valid_mse"]} vs mean predictor {r["mean_predictor_mse"]}");
        Assert.InRange(r["rmse_px_x"], 0.01, 20);
        Assert.InRange(r["rmse_px_y"], 0.01, 20);
    }

    [Fact]
    public void The_multi_label_notebook_shows_every_chapter_step()
    {
        var outputs = run.Outputs("06a-multilabel");
        var html = outputs.Select(o => o.Html).ToList();
        var text = string.Join("\n", outputs.Select(o => o.Text + o.Html));

        Assert.Contains("len(dsets.train) = ", text);
        Assert.Contains("x and y are the same row: True", text); // x, y = dsets.train[0] without getters
        Assert.Contains("same item as the lambdas: True", text); // named get_x / get_y
        Assert.Contains("Bonjour Sylvain.", text); // say_hello and partial
        Assert.Contains("Ahoy! Jeremy.", text);
        Assert.Contains(html, h => HtmlChecks.Texts(h, "table th, table td").Intersect(["fname", "is_valid"]).Count() == 2); // df.Head(5)
        // dsets.Train[0] with blocks: the image and its one-hot target.
        Assert.Contains(html, h => HtmlChecks.Count(h, "div.ml-item figure") == 1 && HtmlChecks.Texts(h, "div.ml-item pre").Any(t => t.Contains(", tensor([", StringComparison.Ordinal)));
        Assert.Contains(html, h => HtmlChecks.Count(h, "div.ml-batch figure") == 9);
        Assert.Contains("equal to float precision: True", text);
        Assert.Contains("BCELoss(sigmoid)", text);
        Assert.Equal(2, outputs.Count(o => HtmlChecks.Texts(o.Html, "pre.ml-validate").Any(t => t.StartsWith("(#2) [", StringComparison.Ordinal))));
        Assert.Contains(html, h => HtmlChecks.Count(h, ".ml-plot") > 0 && h.Contains("\"name\":\"accuracy_multi\"") && HtmlChecks.Count(h, ".ml-sweep") == 0); // xs, accs in code
        Assert.Contains(html, h => HtmlChecks.Count(h, "div.ml-sweep .ml-plot") > 0);
        Assert.Contains(html, FineTuneTable);
        Assert.Contains(html, h => HtmlChecks.Count(h, "table.ml-per-class tbody tr") > 0);
        Assert.Contains(html, h => h.Contains("this run") && h.Contains("why they differ") && h.Contains("0.951")); // the book's figures beside this run's
        // ... computed from what was used: the data UntarData returned, the weights the learner loaded.
        Assert.Contains(html, h => h.Contains("PASCAL 2007 pascal_2007: 2,000 of 2,000 images") && h.Contains("ImageNet, "));
    }

    [Fact]
    public void The_keypoint_notebook_shows_every_chapter_step()
    {
        var outputs = run.Outputs("06b-regression");
        var html = outputs.Select(o => o.Html).ToList();
        var text = string.Join("\n", outputs.Select(o => o.Text + o.Html));

        Assert.Contains("_pose.txt", text); // img2pose
        Assert.Contains("the calibration rgb.cal among them: True", text); // (path/'01').ls()
        Assert.Contains("01.obj", text); // path.ls(): BIWI's head models beside the folders
        Assert.Contains(html, h => HtmlChecks.Count(h, "img.ml-tile") > 0); // the first image
        // show_batch: every tile carries its one red keypoint.
        Assert.Contains(html, h => HtmlChecks.All(h, "div.ml-batch figure") is { Count: >= 8 } tiles && tiles.All(t => HtmlChecks.TileSvg(t)?.QuerySelectorAll("circle.ml-point[fill=red]").Length == 1));
        Assert.Contains(html, h => HtmlChecks.Count(h, ".ml-plot") > 0 && h.Contains("sigmoid_range(x, -1, 1)"));
        Assert.Contains(html, h => HtmlChecks.Count(h, "div.ml-lrfind .ml-plot") > 0 && h.Contains("\"type\":\"log\"") && HtmlChecks.Texts(h, "table.ml-suggestions td").Contains("valley"));
        Assert.Contains(html, FineTuneTable);
        Assert.Contains(html, h => HtmlChecks.All(h, "div.ml-results figure").Any(t => HtmlChecks.TileSvg(t)?.QuerySelector("circle[fill='#1f6fe0']") is not null));
        Assert.Contains(html, h => h.Contains("this run") && h.Contains("why they differ") && h.Contains("0.0001"));
        Assert.Contains(html, h => h.Contains("BIWI biwi_head_pose: 3,840 of 3,840 frames"));
    }

    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public void Each_display_is_saved_once_in_its_final_state(string notebook)
    {
        foreach (var (source, outputs) in run.Cells(notebook))
        {
            // The first cell holds the kernel's own output (its start-up script, the installed packages, one line per
            // extension loaded) and the package's one line; every other cell a handful at most.
            Assert.True(outputs.Count <= 6, $"{outputs.Count} outputs in the cell {source.Split('\n')[0]}");
            Assert.True(outputs.Count(o => HtmlChecks.Count(o.Html, ".ml-progress") > 0) <= 1, $"several progress bars in {source.Split('\n')[0]}");
            Assert.True(outputs.Count(o => HtmlChecks.Count(o.Html, "table.ml-epochs") > 0) <= 1, $"several epoch tables in {source.Split('\n')[0]}");
        }
        var training = run.Cells(notebook).Single(c => c.Source.Contains("learn.FineTune("));
        Assert.Contains(training.Outputs, o => HtmlChecks.Texts(o.Html, ".ml-progress").Any(t => t.Contains("epoch done")));
        Assert.Single(run.Cells(notebook)[0].Outputs, o => o.Html.Contains("MultiLabel.Interactive loaded:"));
    }

    /// <summary>fine_tune's epoch table: both phases, as fastai prints them.</summary>
    static bool FineTuneTable(string html) =>
        HtmlChecks.Count(html, "table.ml-epochs") == 1 && HtmlChecks.Rows(html, "table.ml-epochs").Select(r => r[1]).Distinct().Order().SequenceEqual(["frozen", "unfrozen"]);
}
