using Microsoft.DotNet.Interactive.Events;
using MultiLabel.Views;
using Xunit;

namespace MultiLabel.Interactive.Tests;

public sealed class ExtensionTests
{
    [Fact]
    public async Task Loading_announces_the_backend_and_registers_the_device_magic_command()
    {
        using var kernel = new KernelHarness();

        var load = await kernel.LoadExtensionAsync();
        var device = await kernel.SubmitAsync("#!device");

        KernelHarness.Succeeded(load);
        Assert.Contains("MultiLabel.Interactive loaded: CPU", KernelHarness.Html(load));
        // The banner lists what was registered, in order, and every one is a directive the kernel knows.
        var listed = HtmlChecks.Texts(KernelHarness.Html(load), "div.ml-loaded code");
        Assert.Equal(["#!device", "#!show_batch", "#!lr_find", "#!fine_tune", "#!fit_one_cycle", "#!show_results", "#!threshold_sweep"], listed);
        var known = kernel.Kernel.KernelInfo.SupportedDirectives.Select(d => d.Name).ToHashSet();
        Assert.All(listed, name => Assert.Contains(name, known));
        KernelHarness.Succeeded(device);
        var html = KernelHarness.Html(device);
        var rows = HtmlChecks.Pairs(html, "table.ml-runtime");
        Assert.StartsWith("CPU", rows["backend"]);
        Assert.StartsWith("No GPU in use", HtmlChecks.Texts(html, "p.ml-gpu-help").Single());
        // The bfloat16 row follows this machine's CPU flags and whether oneDNN is on (without it bfloat16 is slower).
        var report = MultiLabel.Native.TorchRuntime.Describe();
        Assert.StartsWith(MultiLabel.Native.CpuBfloat16.NativeFlag() is not { } flag
            ? "emulated on this CPU"
            : report.MkldnnEnabled
                ? $"native on this CPU ({flag}) with oneDNN: learn.ToBf16() can train faster here"
                : $"native on this CPU ({flag}), but oneDNN is off", rows["bfloat16"]);
        Assert.Contains("MULTILABEL_LIBTORCH", html);
        // Which ImageNet weights are in PyTorch's cache (the tests' own, empty) and where the others come from.
        var cache = MultiLabel.Vision.Models.Pretrained.TorchvisionWeights.CacheFolder();
        Assert.Contains($"<th style=\"text-align:left\">ImageNet weights</th><td style=\"text-align:left\">none in {cache}; others from http://127.0.0.1:9/offline/ on first use (without them resnet18 uses the bundled weights)", html);
    }

    [Fact]
    public async Task A_label_vector_is_shown_as_chips_with_bars_and_the_decoded_labels()
    {
        using var kernel = new KernelHarness();
        await kernel.LoadExtensionAsync();

        var result = await kernel.SubmitAsync("""new MultiLabel.Vision.Data.LabelVector(new[] { "cat", "dog", "person" }, new[] { 0.9f, 0.2f, 0.6f }, 0.5f)""");

        KernelHarness.Succeeded(result);
        var html = KernelHarness.Html(result);
        Assert.Equal(3, CountOf(html, "class=\"ml-chip"));
        Assert.Equal(2, CountOf(html, "class=\"ml-chip ml-on\""));
        Assert.Contains("linear-gradient(90deg,#9cc3f5 90%", html);
        Assert.Contains("threshold 0.5: cat;person", html);
    }

    [Fact]
    public async Task A_one_hot_target_is_shown_as_on_and_off_chips_without_bars()
    {
        using var kernel = new KernelHarness();
        await kernel.LoadExtensionAsync();

        var result = await kernel.SubmitAsync("""new MultiLabel.Vision.Data.LabelVector(new[] { "car", "dog" }, new[] { 0f, 1f })""");

        var html = KernelHarness.Html(result);
        Assert.Contains("background:#2a7ae2;color:#fff\">dog</span>", html);
        Assert.Contains("color:#999\">car</span>", html);
        Assert.DoesNotContain("linear-gradient", html);
    }

    [Fact]
    public async Task Choosing_another_libtorch_after_torch_loaded_fails_through_diagnostics_and_the_kernel_survives()
    {
        using var kernel = new KernelHarness();
        await kernel.LoadExtensionAsync();

        var failed = await kernel.SubmitAsync("#!device --libtorch /nonexistent/torch/lib");
        var after = await kernel.SubmitAsync("1 + 1");

        var error = Assert.Single(failed.Events.OfType<CommandFailed>());
        Assert.Contains("already loaded", error.Message);
        KernelHarness.Succeeded(after);
    }

    [Fact]
    public async Task A_plotly_chart_renders_with_plotly_js_inline_once_per_session()
    {
        using var kernel = new KernelHarness();
        await kernel.LoadExtensionAsync();
        const string chart = """
            using Plotly.NET.CSharp;
            Plotly.NET.CSharp.Chart.Line<int, double, string>(x: new[] { 1, 2, 3 }, y: new[] { 0.9, 0.5, 0.3 }, Name: "train loss")
                .WithXAxisStyle<double, double, string>(TitleText: "step")
            """;

        var first = KernelHarness.Html(await kernel.SubmitAsync(chart));
        var second = KernelHarness.Html(await kernel.SubmitAsync(chart));

        Assert.Contains("plotly.js v2.28.0", first);
        Assert.Contains("window.Plotly.newPlot", first);
        Assert.Contains("\"name\":\"train loss\"", first);
        Assert.DoesNotContain("src=\"http", first);
        Assert.DoesNotContain("require.config", first);
        Assert.DoesNotContain("plotly.js v2.28.0", second);
        Assert.Contains("window.Plotly.newPlot", second);
        Assert.True(second.Length < 20_000, $"second chart is {second.Length} characters");
    }

    [Fact]
    public void Every_chart_can_carry_plotly_js_when_asked()
    {
        ChartHtml.ResetSession();
        ChartHtml.EmbedInEveryChart = true;
        try
        {
            var chart = Plotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1 }, y: new[] { 2 });
            Assert.Contains("plotly.js v2.28.0", ChartHtml.Render(chart));
            Assert.Contains("plotly.js v2.28.0", ChartHtml.Render(chart));
        }
        finally
        {
            ChartHtml.EmbedInEveryChart = false;
        }
    }

    [Fact]
    public void The_engine_never_references_the_notebook_layer()
    {
        var engine = typeof(MultiLabel.Vision.Data.LabelVector).Assembly;

        var references = engine.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Plotly", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("MultiLabel.Interactive", StringComparison.Ordinal));
    }

    [Fact]
    public void The_extension_does_not_depend_on_assemblies_newer_than_the_kernel_ships()
    {
        // The kernels ship Microsoft.AspNetCore.Html.Abstractions 2.3.0; the package feed resolves 2.3.13,
        // which the kernel cannot load (seen as a silent extension failure in dotnet-repl).
        var references = typeof(MultiLabelExtension).Assembly.GetReferencedAssemblies();

        Assert.DoesNotContain(references, a => a.Name == "Microsoft.AspNetCore.Html.Abstractions");
    }

    static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
