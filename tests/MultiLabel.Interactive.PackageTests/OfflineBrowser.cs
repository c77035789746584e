using Microsoft.Playwright;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Headless Debian chromium that may load only what a test allows (local files, or one local server); every other
/// request is refused and listed. <see cref="OpenAsync"/> is what it makes of a page of charts: the Plotly charts that
/// drew their SVG, their traces, the width of each image tile; a full-page screenshot is kept as a test artifact.</summary>
static class OfflineBrowser
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary><see cref="Charts"/>: chart elements on the page; <see cref="Plots"/>: those that drew their SVG.</summary>
    public sealed record Rendered(int Charts, int Plots, int Traces, double[] TileWidths, IReadOnlyList<string> Refused);

    /// <summary>A browser whose tabs load only the URLs <c>allowed</c> accepts.</summary>
    public sealed class Session : IAsyncDisposable
    {
        readonly IPlaywright playwright;
        readonly IBrowser browser;
        readonly List<string> refused = [];

        Session(IPlaywright playwright, IBrowser browser, IBrowserContext context) => (this.playwright, this.browser, Context) = (playwright, browser, context);

        public IBrowserContext Context { get; }

        /// <summary>The requests refused so far.</summary>
        public IReadOnlyList<string> Refused { get { lock (refused) return refused.ToList(); } }

        public static async Task<Session> StartAsync(Func<string, bool> allowed)
        {
            Assert.True(File.Exists(Chromium), "Debian's chromium is needed (scripts/test.sh installs it).");
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 1400 } });
            var session = new Session(playwright, browser, context);
            await context.RouteAsync("**/*", async route =>
            {
                if (allowed(route.Request.Url)) await route.ContinueAsync();
                else { lock (session.refused) session.refused.Add(route.Request.Url); await route.AbortAsync(); }
            });
            return session;
        }

        /// <summary>Saves a full-page screenshot of <paramref name="tab"/> under TestResults/artifacts.</summary>
        public static async Task KeepScreenshotAsync(IPage tab, string name)
        {
            var artifacts = Path.Combine(MultiLabel.Testing.RepositoryRoot.Path, "TestResults", "artifacts");
            Directory.CreateDirectory(artifacts);
            await tab.ScreenshotAsync(new() { Path = Path.Combine(artifacts, name), FullPage = true });
        }

        public async ValueTask DisposeAsync()
        {
            await Context.CloseAsync();
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>What a page shows of its charts without scripts: chart elements, and static chart images that loaded.</summary>
    public sealed record Static(int Charts, int Images, IReadOnlyList<string> Refused);

    /// <summary>Opens <paramref name="page"/> with its scripts removed, as GitHub, an untrusted Jupyter or a sanitising viewer
    /// shows it, and counts the charts whose static image loaded.</summary>
    public static async Task<Static> OpenWithoutScriptsAsync(string page, string screenshot)
    {
        var html = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(page), @"<script\b[^>]*>.*?</script\s*>", "",
            System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var stripped = Path.Combine(Path.GetDirectoryName(page)!, Path.GetFileNameWithoutExtension(page) + ".no-scripts.html");
        File.WriteAllText(stripped, html);
        await using var session = await Session.StartAsync(url => url.StartsWith("file://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal));
        var tab = await session.Context.NewPageAsync();
        await tab.GotoAsync("file://" + stripped);
        await tab.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)", null, new() { Timeout = 30_000 });
        int charts = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-chart').length");
        int images = await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.ml-chart img.ml-static-chart')].filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length");
        await Session.KeepScreenshotAsync(tab, screenshot);
        return new Static(charts, images, session.Refused);
    }

    public static async Task<Rendered> OpenAsync(string page, string screenshot)
    {
        await using var session = await Session.StartAsync(url => url.StartsWith("file://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal));
        var tab = await session.Context.NewPageAsync();

        await tab.GotoAsync("file://" + page);
        await tab.WaitForFunctionAsync("() => document.querySelectorAll('.ml-plot').length > 0 && [...document.querySelectorAll('.ml-plot')].every(d => d.querySelector('svg.main-svg'))",
            null, new() { Timeout = 60_000 });
        int charts = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot').length");
        int plots = await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.ml-plot')].filter(d => d.querySelector('svg.main-svg')).length");
        int traces = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-plot .scatterlayer .trace').length");
        var tiles = await tab.EvaluateAsync<double[]>("() => [...document.querySelectorAll('img.ml-tile')].map(i => i.complete && i.naturalWidth > 0 ? i.getBoundingClientRect().width : 0)");
        await Session.KeepScreenshotAsync(tab, screenshot);
        return new Rendered(charts, plots, traces, tiles, session.Refused);
    }
}
