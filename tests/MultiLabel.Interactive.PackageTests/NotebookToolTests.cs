using System.Text.Json;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The real client: dotnet-repl (pinned in dotnet-tools.json) runs the smoke notebook against the packed
/// package and writes the executed notebook, whose outputs are checked here.</summary>
[Collection(PackageCollection.Name)]
public sealed class NotebookToolTests(LocalPackageFeed feed)
{
    [Fact]
    public void The_smoke_notebook_runs_in_dotnet_repl_with_formatter_html_and_an_offline_chart()
    {
        var output = Path.Combine(Path.GetTempPath(), $"multilabel-smoke-{Guid.NewGuid():N}.ipynb");
        try
        {
            var (code, log) = LocalPackageFeed.RunWithExitCode("dotnet",
                ["repl", "--run", Path.Combine(feed.Root, "notebooks", "00-smoke.ipynb"), "--exit-after-run", "--output-path", output],
                Path.Combine(feed.Root, "notebooks"), TimeSpan.FromMinutes(5));

            Assert.True(code == 0, $"dotnet repl exited {code}:\n{log}");
            var outputs = ReadOutputs(output);
            Assert.DoesNotContain(outputs, o => o.Type == "error");
            var html = outputs.SelectMany(o => o.Html).ToList();
            Assert.Contains(html, h => h.Contains($"MultiLabel.Interactive, {feed.Version}"));
            Assert.Contains(html, h => h.Contains("MultiLabel.Interactive loaded: CPU"));
            Assert.Contains(html, h => HtmlChecks.Count(h, "table.ml-runtime") == 1 && HtmlChecks.Pairs(h, "table.ml-runtime").ContainsKey("backend"));
            Assert.Contains(html, h => h.Contains("<pre>24</pre>"));
            Assert.Contains(html, h => HtmlChecks.All(h, "div.ml-labels span.ml-chip.ml-on").Any(c => c.GetAttribute("title") == "bicycle: 0.91")
                                       && h.Contains("threshold 0.5: bicycle;person"));
            Assert.Contains(html, h => h.Contains("plotly.js v2.28.0") && h.Contains("window.Plotly.newPlot") && h.Contains("\"name\":\"train loss\""));
        }
        finally
        {
            File.Delete(output);
        }
    }

    sealed record Output(string Type, IReadOnlyList<string> Html);

    static List<Output> ReadOutputs(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<Output>();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (!cell.TryGetProperty("outputs", out var outputs)) continue;
            foreach (var o in outputs.EnumerateArray())
            {
                var html = new List<string>();
                if (o.TryGetProperty("data", out var data) && data.TryGetProperty("text/html", out var h))
                    html.Add(h.ValueKind == JsonValueKind.Array ? string.Concat(h.EnumerateArray().Select(x => x.GetString())) : h.GetString()!);
                list.Add(new Output(o.GetProperty("output_type").GetString()!, html));
            }
        }
        return list;
    }
}
