using System.Net;
using System.Text;
using System.Text.Json;
using Markdig;

namespace MultiLabel.Cli;

/// <summary>
/// `multilabel render-notebook in.ipynb out.html`: an executed notebook as one self-contained HTML page (markdown through
/// Markdig, code, and every output: HTML as is, text in &lt;pre&gt;, errors in red; the kernel's bootstrap script left
/// out, so the page asks the network for nothing). Prints the notebook's
/// "RESULT …" lines and exits 1 when an output is an error.
/// </summary>
static class NotebookRenderer
{
    public static int Run(string[] args)
    {
        if (args.Length != 2) throw new ArgumentException("usage: multilabel render-notebook <executed.ipynb> <out.html>");
        var (html, results, errors) = Render(File.ReadAllText(args[0]), Path.GetFileNameWithoutExtension(args[0]));
        File.WriteAllText(args[1], html);
        foreach (var line in results) Console.WriteLine(line);
        if (errors > 0) Console.Error.WriteLine($"{args[0]}: {errors} cell(s) failed");
        return errors > 0 ? 1 : 0;
    }

    public static (string Html, List<string> Results, int Errors) Render(string notebookJson, string title)
    {
        using var doc = JsonDocument.Parse(notebookJson);
        var html = new StringBuilder($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{E(title)}</title>")
            .Append("<style>body{font-family:sans-serif;max-width:1100px;margin:auto} pre{background:#f6f8fa;padding:6px;overflow-x:auto} .code{border-left:3px solid #2a7ae2} .error{color:#b00020;background:#fff0f0} .out{margin:4px 0 14px 0}</style></head><body>");
        var results = new List<string>();
        int errors = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            var source = Text(cell.GetProperty("source"));
            if (cell.GetProperty("cell_type").GetString() == "markdown")
            {
                html.Append(Markdown(source));
                continue;
            }
            html.Append($"<pre class=\"code\">{E(source)}</pre><div class=\"out\">");
            if (cell.TryGetProperty("outputs", out var outputs))
                foreach (var o in outputs.EnumerateArray())
                {
                    var type = o.GetProperty("output_type").GetString();
                    if (type == "error")
                    {
                        errors++;
                        html.Append($"<pre class=\"error\">{E(o.GetProperty("ename").GetString() + ": " + o.GetProperty("evalue").GetString())}</pre>");
                    }
                    else if (type == "stream")
                    {
                        var text = Text(o.GetProperty("text"));
                        results.AddRange(text.Split('\n').Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Select(l => l.Trim()));
                        html.Append($"<pre>{E(text)}</pre>");
                    }
                    else if (o.TryGetProperty("data", out var data))
                    {
                        if (data.TryGetProperty("text/html", out var h)) { if (!IsKernelBootstrap(Text(h))) html.Append(Text(h)); }
                        else if (data.TryGetProperty("text/plain", out var p)) html.Append($"<pre>{E(Text(p))}</pre>");
                    }
                }
            html.Append("</div>");
        }
        return (html.Append("</body></html>").ToString(), results, errors);
    }

    /// <summary>The .NET kernel's first output in Jupyter: a hidden div and a script that probes local and private
    /// addresses for the kernel's HTTP API and loads require.js from a CDN. It shows nothing, and a saved page must not
    /// reach the network or probe ports, so the page leaves it out.</summary>
    static bool IsKernelBootstrap(string html) =>
        html.Contains("dotnet-interactive-this-cell-", StringComparison.Ordinal) && html.Contains("probeAddresses(", StringComparison.Ordinal);

    static string Text(JsonElement e) => e.ValueKind == JsonValueKind.Array ? string.Concat(e.EnumerateArray().Select(x => x.GetString())) : e.GetString() ?? "";
    static string E(string s) => WebUtility.HtmlEncode(s);

    // CommonMark with GitHub's tables and the like; raw HTML in a markdown cell is shown as text, not run.
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    static string Markdown(string source) => Markdig.Markdown.ToHtml(source, Pipeline);
}
