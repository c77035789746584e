using System.Text.Json.Nodes;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The executed chapter notebooks as a reader opens them in a real Jupyter front end: Debian's classic Notebook
/// 6.4 on 127.0.0.1, in headless chromium that may load nothing else. Untrusted (a notebook from elsewhere: scripts
/// removed, HTML sanitised, inline SVG dropped) every chart shows its static image; trusted the live Plotly chart replaces
/// it. Both ways the image tiles load and the epoch table is a table. Screenshots of 06a's training cell are kept.</summary>
[Collection(ChapterCollection.Name)]
public sealed class ClassicNotebookTests(ChapterRun run)
{
    /// <summary>What the page shows: charts, those showing their static image, those drawn live, tiles loaded of all
    /// tiles, epoch tables with fastai's header.</summary>
    sealed record Page(int Charts, int StaticImages, int LivePlots, int Tiles, int TilesLoaded, int EpochTables, IReadOnlyList<string> Refused);

    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public async Task Every_figure_shows_in_classic_jupyter_untrusted_and_trusted(string notebook)
    {
        using var folder = new TempFolder();
        File.Copy(run.File(notebook + ".ipynb"), folder.File(notebook + ".ipynb"));
        using var server = new ClassicNotebookServer(folder.Path);

        var untrusted = await OpenAsync(server, notebook, "untrusted");
        server.Trust(notebook + ".ipynb");
        var trusted = await OpenAsync(server, notebook, "trusted");

        Assert.True(untrusted.Charts >= 2, $"{untrusted.Charts} charts");
        Assert.Equal(untrusted.Charts, untrusted.StaticImages); // every chart visible as its image
        Assert.Equal(0, untrusted.LivePlots);                   // no script ran
        Assert.Equal(untrusted.Charts, trusted.Charts);
        Assert.Equal(trusted.Charts, trusted.LivePlots);        // every chart drawn by Plotly…
        Assert.Equal(0, trusted.StaticImages);                  // …over its hidden image
        foreach (var page in new[] { untrusted, trusted })
        {
            Assert.True(page.Tiles >= 8, $"{page.Tiles} image tiles");
            Assert.Equal(page.Tiles, page.TilesLoaded);
            Assert.True(page.EpochTables >= 1, "no epoch table");
        }
        Assert.Empty(untrusted.Refused); // nothing asked of the network
        // Trusted, the kernel's own start-up output (dotnet-interactive's, in the first cell) probes this machine's
        // addresses for the kernel's HTTP API (the kernelspec's --http-port-range 2048-3000); nothing else goes out.
        Assert.All(trusted.Refused, url => Assert.Matches(@"^http://[0-9.]+:(2\d{3}|3000)/discovery$", url));
    }

    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public void Saved_charts_hold_their_static_image_and_no_plotly_json_as_a_string(string notebook)
    {
        var outputs = JsonNode.Parse(File.ReadAllText(run.File(notebook + ".ipynb")))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!["data"]?.AsObject()).OfType<JsonObject>().ToList();
        // Jupyter's protocol would carry Plotly's JSON as a string, which Plotly's renderers cannot read: the kernel leaves it out there.
        Assert.DoesNotContain(outputs, o => o.ContainsKey("application/vnd.plotly.v1+json"));
        var charts = outputs.Where(o => o["text/html"] is { } html && Text(html).Contains("class=\"ml-chart", StringComparison.Ordinal)).ToList();
        Assert.True(charts.Count >= 2, $"{charts.Count} chart outputs");
        Assert.All(charts, o => Assert.All(HtmlChecks.All(Text(o["text/html"]!), "div.ml-chart"),
            chart => Assert.StartsWith("data:image/svg+xml;base64,", chart.QuerySelector("img.ml-static-chart")?.GetAttribute("src"))));
        // A chart that is a cell's value carries the SVG on its own too, for viewers that show no HTML.
        Assert.Contains(outputs, o => o["image/svg+xml"] is { } svg && Text(svg).StartsWith("<svg", StringComparison.Ordinal));
    }

    static string Text(JsonNode node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    static async Task<Page> OpenAsync(ClassicNotebookServer server, string notebook, string trust)
    {
        await using var session = await server.StartBrowserAsync();
        var tab = await server.OpenAsync(session, notebook + ".ipynb");
        if (trust == "trusted")
            await tab.WaitForFunctionAsync("() => [...document.querySelectorAll('.ml-chart')].every(c => c.querySelector('.ml-plot svg.main-svg'))", null, new() { Timeout = 60_000 });

        var page = new Page(
            await tab.EvaluateAsync<int>("() => document.querySelectorAll('.ml-chart').length"),
            await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.ml-chart img.ml-static-chart')].filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length"),
            await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.ml-chart')].filter(c => c.querySelector('.ml-plot svg.main-svg')).length"),
            await tab.EvaluateAsync<int>("() => document.querySelectorAll('img.ml-tile').length"),
            await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('img.ml-tile')].filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length"),
            await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('table.ml-epochs')].filter(t => t.getBoundingClientRect().height > 0 && ['epoch', 'train_loss', 'valid_loss'].every(c => [...t.querySelectorAll('th')].some(h => h.textContent.trim() == c))).length"),
            session.Refused);

        await OfflineBrowser.Session.KeepScreenshotAsync(tab, $"classic-{notebook}-{trust}.png");
        // The training cell: the first cell whose output holds both the epoch table and its loss curve.
        var training = tab.Locator(".cell").Filter(new() { Has = tab.Locator("table.ml-epochs") }).Filter(new() { Has = tab.Locator(".ml-chart") }).First;
        if (await training.CountAsync() > 0)
            await training.ScreenshotAsync(new() { Path = ArtifactPath($"classic-{notebook}-loss-curve-{trust}.png") });
        var batch = tab.Locator(".cell").Filter(new() { Has = tab.Locator("div.ml-batch") }).First;
        if (await batch.CountAsync() > 0)
            await batch.ScreenshotAsync(new() { Path = ArtifactPath($"classic-{notebook}-show-batch-{trust}.png") });
        return page;
    }

    static string ArtifactPath(string name)
    {
        var artifacts = Path.Combine(MultiLabel.Testing.RepositoryRoot.Path, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        return Path.Combine(artifacts, name);
    }
}
