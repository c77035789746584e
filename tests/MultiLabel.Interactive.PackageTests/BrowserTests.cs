using Microsoft.Playwright;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The executed notebooks' HTML in headless Debian chromium with every network request refused: each Plotly
/// chart must draw its SVG and every image tile must have its picture. Screenshots are kept as test artifacts.</summary>
[Collection(ChapterCollection.Name)]
public sealed class BrowserTests(ChapterRun run)
{
    public static readonly string Chromium = "/usr/bin/chromium";

    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public async Task Charts_and_images_render_offline(string notebook)
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (scripts/test.sh installs it).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 1400 } });
        var refused = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal)) await route.ContinueAsync();
            else { refused.Add(route.Request.Url); await route.AbortAsync(); }
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("file://" + run.File(notebook + ".html"));
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.ml-plot').length > 0 && [...document.querySelectorAll('.ml-plot')].every(d => d.querySelector('svg.main-svg'))",
            null, new() { Timeout = 60_000 });
        int plots = await page.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot svg.main-svg').length");
        int traces = await page.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot .scatterlayer .trace').length");
        var tiles = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('svg.ml-tile image')].map(i => i.getBBox().width)");
        var artifacts = Path.Combine(run.Root, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, notebook + ".png"), FullPage = true });

        Assert.True(plots >= 2, $"{plots} charts rendered");
        Assert.True(traces >= 2, $"{traces} traces in {plots} charts");
        Assert.True(tiles.Length >= 8 && tiles.All(w => w > 0), $"{tiles.Length} image tiles");
        Assert.All(refused, url => Assert.DoesNotContain("plot.ly", url));
    }
}
