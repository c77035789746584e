using Microsoft.DotNet.Interactive.Events;
using MultiLabel.Interactive.Progress;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Training;
using Xunit;

namespace MultiLabel.Interactive.Tests;

public sealed class DirectiveTests : IDisposable
{
    readonly KernelHarness kernel = new();

    public DirectiveTests()
    {
        kernel.LoadExtensionAsync().GetAwaiter().GetResult();
        TrainingProgress.Interval = TimeSpan.Zero;
    }

    public void Dispose()
    {
        TrainingProgress.Interval = TimeSpan.FromSeconds(2);
        kernel.Dispose();
    }

    [Fact]
    public async Task Show_batch_draws_a_grid_of_decodable_images_titled_with_their_labels()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var result = await kernel.SubmitAsync("#!show_batch --dls dls --max-items 4");

        KernelHarness.Succeeded(result);
        var html = KernelHarness.Html(result);
        Assert.Equal(4, HtmlChecks.Count(html, "div.ml-batch td > figure"));
        Assert.Equal(Enumerable.Repeat((32, 32), 4), HtmlChecks.DecodeImages(html));
        Assert.Equal("2", HtmlChecks.All(html, "div.ml-batch").Single().GetAttribute("data-columns")); // 4 items: 2×2
        Assert.All(HtmlChecks.Texts(html, "figcaption"), t => Assert.Matches("^([a-z]+(;[a-z]+)*)?$", t));
        Assert.Equal(["4 training items, 2×2"], HtmlChecks.Texts(html, ".ml-caption"));
    }

    [Fact]
    public async Task Show_batch_draws_keypoints_as_red_dots_in_pixel_coordinates()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.Keypoints()));

        var result = await kernel.SubmitAsync("#!show_batch --dls pdls --max-items 3 --valid");

        var html = KernelHarness.Html(result);
        var tiles = HtmlChecks.TileSvgs(html);
        Assert.Equal(3, tiles.Count);
        Assert.Equal(3, tiles.Sum(svg => svg.QuerySelectorAll("circle.ml-point[fill=red]").Length));
        Assert.All(tiles, svg => Assert.Equal("0 0 80 60", svg.GetAttribute("viewBox")));
        Assert.StartsWith("3 validation items", HtmlChecks.Texts(html, ".ml-caption").Single());
    }

    [Fact]
    public async Task Lr_find_plots_on_a_log_axis_marks_the_suggestions_and_sets_a_variable()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var result = await kernel.SubmitAsync("#!lr_find --learn learn --num-it 12 --name found");

        KernelHarness.Succeeded(result);
        var html = KernelHarness.Html(result);
        Assert.Contains("\"type\":\"log\"", html);
        Assert.Contains("valley:", html);
        Assert.Equal(["valley", "slide", "minimum", "steep"], HtmlChecks.Rows(html, "table.ml-suggestions").Select(r => r[0]));
        Assert.True(kernel.CSharp.TryGetValue<LrFindResult>("found", out var found));
        Assert.InRange(found.LearningRates.Count, 2, 12);
    }

    [Fact]
    public async Task Fine_tune_updates_one_progress_bar_table_and_chart_in_place()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var result = await kernel.SubmitAsync("#!fine_tune --learn learn --epochs 1 --base-lr 1e-3 --freeze-epochs 1");

        KernelHarness.Succeeded(result);
        var produced = result.Events.OfType<DisplayedValueProduced>().Where(e => e.ValueId is not null).Select(e => e.ValueId).ToHashSet();
        var updates = result.Events.OfType<DisplayedValueUpdated>().ToList();
        Assert.InRange(produced.Count, 3, 4); // bar, table, chart (+ plotly.js once per session)
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Contains(u.ValueId, produced));
        var last = updates.SelectMany(u => u.FormattedValues).Where(f => f.MimeType == "text/html").Select(f => f.Value).ToList();
        // The final epoch table: two epochs, one per phase, as fastai's fine_tune prints them.
        var table = last.Last(h => HtmlChecks.Count(h, "table.ml-epochs") == 1);
        Assert.Contains("phase", HtmlChecks.Texts(table, "table.ml-epochs thead th"));
        Assert.Equal([["0", "frozen"], ["0", "unfrozen"]], HtmlChecks.Rows(table, "table.ml-epochs").Select(r => r[..2]));
        Assert.Contains(last, h => h.Contains("\"name\":\"train (smoothed)\"") && h.Contains("\"name\":\"valid\""));
        Assert.Contains(last, h => HtmlChecks.Count(h, ".ml-progress progress") == 1);
    }

    [Fact]
    public async Task A_plain_FineTune_call_shows_one_live_display_for_both_fits_and_stops_updating_after_its_cell()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var result = await kernel.SubmitAsync("learn.FineTune(1, baseLr: 1e-3, freezeEpochs: 1);");
        var later = await kernel.SubmitAsync("learn.Validate().Loss");
        var lrFind = await kernel.SubmitAsync("learn.LrFind(numIt: 10).Suggestions.Count");

        KernelHarness.Succeeded(result);
        var produced = result.Events.OfType<DisplayedValueProduced>().Where(e => e.ValueId is not null).Select(e => e.ValueId).ToHashSet();
        Assert.InRange(produced.Count, 3, 4); // one bar, one table, one chart for the frozen and the unfrozen fit (+ plotly.js once)
        var last = result.Events.OfType<DisplayedValueUpdated>().SelectMany(u => u.FormattedValues).Where(f => f.MimeType == "text/html").Select(f => f.Value).ToList();
        Assert.Contains(last, h => h.Contains("<table class=\"ml-epochs\">") && h.Contains(">frozen</td>") && h.Contains(">unfrozen</td>"));
        Assert.Contains(last, h => h.Contains("\"name\":\"train (smoothed)\""));
        KernelHarness.Succeeded(later);
        Assert.Empty(later.Events.OfType<DisplayedValueUpdated>()); // the finished cell's display is left as it was
        KernelHarness.Succeeded(lrFind);
        Assert.DoesNotContain(lrFind.Events.OfType<DisplayedValueProduced>(), e => KernelHarness.HtmlOf(e).Contains("ml-progress"));
    }

    [Fact]
    public async Task The_magic_command_and_the_plain_call_do_not_both_display_progress()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var result = await kernel.SubmitAsync("#!fit_one_cycle --learn learn --epochs 1");

        KernelHarness.Succeeded(result);
        var bars = result.Events.OfType<DisplayedValueProduced>().Count(e => KernelHarness.HtmlOf(e).Contains("class=\"ml-progress\""));
        Assert.Equal(1, bars);
    }

    [Fact]
    public async Task Validate_returns_the_loss_and_the_metrics_after_the_metric_is_replaced()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        var low = await kernel.SubmitAsync("learn.Metrics = new IMetric[] { new AccuracyMulti(threshold: 0.01f) }; learn.Validate()");
        var high = await kernel.SubmitAsync("learn.Metrics = new IMetric[] { new AccuracyMulti(threshold: 0.99f) }; var (loss, metrics) = learn.Validate(); $\"{loss} {metrics[0]}\"");

        KernelHarness.Succeeded(low);
        KernelHarness.Succeeded(high);
        var lowText = KernelHarness.Html(low);
        Assert.Matches(@"\(#2\) \[[0-9.]+, [0-9.]+\]", lowText);
        var parts = high.Events.OfType<ReturnValueProduced>().Single().Value!.ToString()!.Split(' ');
        double accuracyHigh = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        double accuracyLow = double.Parse(System.Text.RegularExpressions.Regex.Match(lowText, @"\(#2\) \[[0-9.]+, ([0-9.]+)\]").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // An untrained model: at 0.01 nearly every label is predicted present, at 0.99 none; few labels per image, so 0.99 wins.
        Assert.True(accuracyHigh > accuracyLow, $"accuracy_multi at 0.99 {accuracyHigh} vs at 0.01 {accuracyLow}");
    }

    [Fact]
    public async Task Show_results_and_the_threshold_sweep_render_and_the_sweep_is_kept()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel()));

        // The variable without its option name, as in dotnet/interactive's own magic commands.
        var results = await kernel.SubmitAsync("#!show_results learn --max-items 2");
        var sweep = await kernel.SubmitAsync("#!threshold_sweep --learn learn --steps 5");

        KernelHarness.Succeeded(results);
        Assert.Equal(2, HtmlChecks.Count(KernelHarness.Html(results), "div.ml-results figure"));
        KernelHarness.Succeeded(sweep);
        Assert.Contains("\"name\":\"accuracy_multi\"", KernelHarness.Html(sweep));
        Assert.True(kernel.CSharp.TryGetValue<ThresholdSweep>("sweep", out var kept));
        Assert.Equal(5, kept.Thresholds.Count);
    }

    [Fact]
    public async Task The_variable_option_completes_to_the_csharp_variables_of_its_type()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel() + "\nvar other = learn; var text = \"no learner\";"));

        const string code = "#!fine_tune --learn ";
        var result = await kernel.Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.RequestCompletions(code, new Microsoft.DotNet.Interactive.LinePosition(0, code.Length)));

        var labels = result.Events.OfType<CompletionsProduced>().Single().Completions.Select(c => c.DisplayText).ToList();
        Assert.Contains("learn", labels);
        Assert.Contains("other", labels);
        Assert.DoesNotContain("text", labels);
        Assert.DoesNotContain("dls", labels);
    }

    [Fact]
    public async Task Bad_variables_and_parameters_fail_with_clear_messages_and_the_kernel_survives()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync("var text = \"not loaders\";"));

        var unknown = await kernel.SubmitAsync("#!show_batch --dls nope");
        var wrongType = await kernel.SubmitAsync("#!show_batch --dls text");
        var missing = await kernel.SubmitAsync("#!lr_find");
        var badNumber = await kernel.SubmitAsync("#!show_batch --dls text --max-items lots");
        var after = await kernel.SubmitAsync("1 + 1");

        Assert.Contains("there is no C# variable 'nope'", Failure(unknown));
        Assert.Contains("'text' is a String, not a DataLoaders", Failure(wrongType));
        Assert.Contains("Missing required parameter '--learn'", Failure(missing));
        // The kernel's own parser answers a non-number; it names the parameter (as its JSON name) and the type it wants.
        Assert.Contains("could not be converted to System.Int32. Path: $.maxItems", Failure(badNumber));
        KernelHarness.Succeeded(after);
    }

    [Fact]
    public async Task A_batch_of_64_at_128_px_stays_a_few_megabytes()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel(rows: 140, size: 128, batch: 64)));

        var html = KernelHarness.Html(await kernel.SubmitAsync("#!show_batch --dls dls --max-items 64"));

        Assert.Equal(64, HtmlChecks.DecodeImages(html).Count);
        Assert.True(html.Length < 4_000_000, $"{html.Length:N0} characters");
    }

    static string? Failure(Microsoft.DotNet.Interactive.KernelCommandResult result) =>
        result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message;
}
