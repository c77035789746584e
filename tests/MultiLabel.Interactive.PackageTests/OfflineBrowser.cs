using Microsoft.Playwright;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>What headless Debian chromium makes of a page with every network request refused: the Plotly charts that
/// drew their SVG, their traces, the width of each image tile; a full-page screenshot is kept as a test artifact.</summary>
static class OfflineBrowser
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary><see cref="Charts"/>: chart elements on the page; <see cref="Plots"/>: those that drew their SVG.</summary>
    public sealed record Rendered(int Charts, int Plots, int Traces, double[] TileWidths, IReadOnlyList<string> Refused);

    public static async Task<Rendered> OpenAsync(string page, string screenshot)
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
            else { lock (refused) refused.Add(route.Request.Url); await route.AbortAsync(); }
        });
        var tab = await context.NewPageAsync();

        await tab.GotoAsync("file://" + page);
        await tab.WaitForFunctionAsync("() => document.querySelectorAll('.ml-plot').length > 0 && [...document.querySelectorAll('.ml-plot')].every(d => d.querySelector('svg.main-svg'))",
            null, new() { Timeout = 60_000 });
        int charts = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot').length");
        int plots = await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.ml-plot')].filter(d => d.querySelector('svg.main-svg')).length");
        int traces = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot .scatterlayer .trace').length");
        var tiles = await tab.EvaluateAsync<double[]>("() => [...document.querySelectorAll('svg.ml-tile image')].map(i => i.getBBox().width)");
        var artifacts = Path.Combine(MultiLabel.Testing.RepositoryRoot.Path, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        await tab.ScreenshotAsync(new() { Path = Path.Combine(artifacts, screenshot), FullPage = true });
        return new Rendered(charts, plots, traces, tiles, refused);
    }
}
