using System.Net;
using Microsoft.Playwright;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The documentation site as a reader gets it: built offline by the one script the README names (DocFX pinned
/// in the tool manifest, warnings as errors), every link inside it pointing at a page that exists, and the pages and
/// the search box working in headless chromium served from 127.0.0.1 with every other request refused.</summary>
public sealed class DocsSiteTests
{
    static readonly string Root = MultiLabel.Testing.RepositoryRoot.Path;
    static readonly string Site = Path.Combine(Root, "artifacts", "docs");

    [Fact]
    public async Task The_site_builds_without_warnings_has_no_broken_links_and_searches_offline()
    {
        var (code, log) = LocalPackageFeed.RunWithExitCode("bash", [Path.Combine(Root, "scripts", "build-docs.sh")], Root, TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"build-docs.sh exited {code}:\n{log}");
        Assert.Contains("0 warning(s)", log);

        var pages = Directory.GetFiles(Site, "*.html", SearchOption.AllDirectories);
        Assert.Contains(pages, p => p.EndsWith(Path.Combine("api", "MultiLabel.Vision.Training.Learner.html"), StringComparison.Ordinal));
        foreach (var guide in new[] { "getting-started", "datablock", "learner", "magic-commands", "gpu", "pytorch" })
            Assert.True(File.Exists(Path.Combine(Site, guide + ".html")), $"{guide}.html was not built");
        // Each namespace page carries its description from docs/namespaces (a DocFX overwrite file).
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs", "namespaces"), "*.md"))
        {
            var text = File.ReadAllText(file).Split("---")[^1].Trim();
            var opening = text[..text.IndexOfAny(['`', ':', ','])];
            var namespacePage = Path.Combine(Site, "api", Path.GetFileNameWithoutExtension(file) + ".html");
            Assert.True(File.Exists(namespacePage), $"no API page for {Path.GetFileName(file)}");
            Assert.Contains(opening, HtmlChecks.Parse(File.ReadAllText(namespacePage)).Body!.TextContent);
        }
        var broken = pages.SelectMany(page => HtmlChecks.All(File.ReadAllText(page), "a[href]")
                .Select(a => a.GetAttribute("href")!)
                .Where(href => !href.Contains("://", StringComparison.Ordinal) && !href.StartsWith('#') && !href.StartsWith("mailto:", StringComparison.Ordinal))
                .Select(href => href.Split('#', '?')[0])
                .Where(href => href.Length > 0 && !File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(href)))))
                .Select(href => $"{Path.GetRelativePath(Site, page)} → {href}"))
            .Distinct().ToList();
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken.Take(20)));

        using var server = new LocalHttpServer(ServeSite);
        await using var browser = await OfflineBrowser.Session.StartAsync(url => url.StartsWith(server.Root.ToString(), StringComparison.Ordinal));
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(server.Root, "api/MultiLabel.Vision.Training.Learner.html").ToString());
        Assert.Contains("Learner", await page.TitleAsync());

        // The reference shows the XML comments: a recipe's parameters, each with its description.
        await page.GotoAsync(new Uri(server.Root, "api/MultiLabel.Vision.Training.FineTuning.html").ToString());
        var parameters = await page.Locator("dl.parameters").First.InnerTextAsync();
        Assert.Contains("freezeEpochs", parameters);
        Assert.Contains("Epochs of the frozen phase (0 skips it).", parameters);

        await page.GotoAsync(new Uri(server.Root, "index.html").ToString());
        var search = page.Locator("#search-query");
        await search.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await page.WaitForFunctionAsync("() => !document.querySelector('#search-query').disabled", null, new() { Timeout = 30_000 });
        await search.FillAsync("GatherPredsCallback");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#search-results a')].some(a => a.textContent.includes('GatherPredsCallback'))",
            null, new() { Timeout = 30_000 });
        await OfflineBrowser.Session.KeepScreenshotAsync(page, "docs-search.png");
        Assert.True(browser.Refused.Count == 0, "the site asked the network for:\n" + string.Join("\n", browser.Refused));
    }

    static void ServeSite(HttpListenerRequest request, HttpListenerResponse response)
    {
        var relative = Uri.UnescapeDataString(request.Url!.AbsolutePath)["/models/".Length..];
        var file = Path.GetFullPath(Path.Combine(Site, relative.Length == 0 ? "index.html" : relative));
        if (!file.StartsWith(Site, StringComparison.Ordinal) || !File.Exists(file))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        response.ContentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript",
            ".css" => "text/css",
            ".json" => "application/json",
            ".svg" => "image/svg+xml",
            ".woff2" => "font/woff2",
            ".woff" => "font/woff",
            _ => "application/octet-stream",
        };
        LocalHttpServer.Send(response, File.ReadAllBytes(file));
    }
}
