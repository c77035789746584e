using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The executed notebooks' HTML in headless Debian chromium with every network request refused: each Plotly
/// chart must draw its SVG, every image tile must have its picture, and the page must request nothing outside itself. Screenshots are kept as test artifacts.</summary>
[Collection(ChapterCollection.Name)]
public sealed class BrowserTests(ChapterRun run)
{
    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public async Task Charts_and_images_render_offline(string notebook)
    {
        var page = await OfflineBrowser.OpenAsync(run.File(notebook + ".html"), notebook + ".png");

        Assert.True(page.Plots >= 2, $"{page.Plots} charts rendered");
        Assert.True(page.Traces >= 2, $"{page.Traces} traces in {page.Plots} charts");
        Assert.True(page.TileWidths.Length >= 8 && page.TileWidths.All(w => w > 0), $"{page.TileWidths.Length} image tiles");
        Assert.Empty(page.Refused); // no CDN, no probe of the kernel's ports: the page asks nothing of the network
    }

    [Theory]
    [InlineData("06a-multilabel")]
    [InlineData("06b-regression")]
    public async Task Without_scripts_every_chart_shows_its_static_image_in_the_projects_page_and_in_nbconvert_html(string notebook)
    {
        using var temp = new TempFolder();
        var own = await OfflineBrowser.OpenWithoutScriptsAsync(run.File(notebook + ".html"), notebook + "-no-scripts.png");
        // Jupyter's own HTML export of the executed notebook, as static viewers show a saved notebook.
        LocalPackageFeed.Run("jupyter", ["nbconvert", "--to", "html", run.File(notebook + ".ipynb"), "--output-dir", temp.Path], temp.Path);
        var nbconvert = await OfflineBrowser.OpenWithoutScriptsAsync(temp.File(notebook + ".html"), notebook + "-nbconvert-no-scripts.png");

        Assert.True(own.Charts >= 2, $"{own.Charts} charts");
        Assert.Equal(own.Charts, own.Images);
        Assert.Empty(own.Refused);
        Assert.Equal(own.Charts, nbconvert.Charts);
        Assert.Equal(nbconvert.Charts, nbconvert.Images);
    }
}
