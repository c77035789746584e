using System.Text.Json;
using MultiLabel.Cli;
using Xunit;

namespace MultiLabel.Vision.Tests.Cli;

/// <summary>`multilabel render-notebook`: markdown through Markdig (raw HTML shown, not run), code, outputs, RESULT lines
/// and failed cells.</summary>
public sealed class NotebookRendererTests
{
    static string Notebook(params object[] cells) => JsonSerializer.Serialize(new { cells, nbformat = 4 });

    [Fact]
    public void Markdown_code_outputs_and_results_render_and_errors_are_counted()
    {
        var json = Notebook(
            new { cell_type = "markdown", source = new[] { "## Multi-label\n", "\n", "- `learn.FineTune(3)` trains\n", "- <script>alert(1)</script>\n" } },
            new { cell_type = "code", source = "learn.Validate()", outputs = new object[]
            {
                new { output_type = "stream", name = "stdout", text = new[] { "epoch 0\n", "RESULT accuracy 0.95\n" } },
                new { output_type = "display_data", data = new Dictionary<string, object> { ["text/html"] = "<table><tr><td>0.95</td></tr></table>" } },
            } },
            new { cell_type = "code", source = "throw", outputs = new object[] { new { output_type = "error", ename = "Error", evalue = "x < 1", traceback = Array.Empty<string>() } } });

        var (html, results, errors) = NotebookRenderer.Render(json, "06a");

        Assert.Equal(["Multi-label"], HtmlChecks.Texts(html, "h2"));
        Assert.Equal(["learn.FineTune(3) trains", "<script>alert(1)</script>"], HtmlChecks.Texts(html, "li"));
        Assert.Equal(["learn.FineTune(3)"], HtmlChecks.Texts(html, "li code"));
        Assert.Empty(HtmlChecks.All(html, "script")); // raw HTML in markdown is shown, not run
        Assert.Equal(["learn.Validate()", "throw"], HtmlChecks.Texts(html, "pre.code"));
        Assert.Equal(["0.95"], HtmlChecks.Texts(html, "div.out table td"));
        Assert.Equal(["Error: x < 1"], HtmlChecks.Texts(html, "pre.error"));
        Assert.Equal(["RESULT accuracy 0.95"], results);
        Assert.Equal(1, errors);
    }

    [Fact]
    public void The_kernels_bootstrap_script_that_probes_ports_and_loads_a_CDN_is_left_out_and_chart_scripts_stay()
    {
        const string bootstrap = "<div><div id='dotnet-interactive-this-cell-$CACHE_BUSTER$' style='display: none'></div><script type='text/javascript'>" +
            "async function probeAddresses(probingAddresses) { fetch('http://127.0.0.1:2048/discovery'); }" +
            "script.setAttribute('src', 'https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js');</script></div>";
        var json = Notebook(new { cell_type = "code", source = "#r \"nuget: MultiLabel.Interactive, *-*\"", outputs = new object[]
        {
            new { output_type = "display_data", data = new Dictionary<string, object> { ["text/html"] = bootstrap } },
            new { output_type = "display_data", data = new Dictionary<string, object> { ["text/html"] = "<div class=\"ml-plot\"></div><script>Plotly.newPlot('x', [])</script>" } },
        } });

        var (html, _, _) = NotebookRenderer.Render(json, "06a");

        Assert.DoesNotContain("probeAddresses", html);
        Assert.DoesNotContain("cdnjs", html);
        Assert.Equal(["Plotly.newPlot('x', [])"], HtmlChecks.Texts(html, "script"));
    }
}
