using System.Globalization;
using MultiLabel.Native.Files;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>
/// Collects what a program shows — headings, text, and any value the package has a view for (batches, learners,
/// epoch tables, loss curves, lr_find, results, threshold sweeps, tensors, images) — into one self-contained HTML page:
/// plotly.js embedded once, images inline, nothing fetched from a network. What a notebook shows cell by cell, a
/// <c>dotnet run app.cs</c> program writes with <c>report.Save("report.html")</c>.
/// </summary>
public sealed class Report(string title)
{
    readonly List<Node> sections = [];
    readonly Dictionary<Type, Func<object, string>> views = Views();
    bool charts;

    /// <summary>The page's title and first heading.</summary>
    public string Title { get; } = title;

    /// <summary>Number of items added (headings, text and values).</summary>
    public int Count => sections.Count;

    /// <summary>Adds a section heading.</summary>
    public Report Heading(string text)
    {
        sections.Add(El("h2", text));
        return this;
    }

    /// <summary>Adds a paragraph of text (shown as text, never as HTML).</summary>
    public Report Text(string text)
    {
        sections.Add(El("p", text));
        return this;
    }

    /// <summary>A value as the notebook shows it; a value without a view of its own as text.</summary>
    public Report Add(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using (ChartHtml.LibraryProvidedByPage())
        {
            var html = ViewFor(value.GetType()) is { } view ? view(value) : El("pre", [("class", "ml-text")], value.ToString() ?? "").Markup;
            charts |= html.Contains("class=\"ml-plot\"", StringComparison.Ordinal);
            sections.Add(El("section", [("class", "ml-output")], Raw(html)));
        }
        return this;
    }

    /// <summary>The whole page.</summary>
    public string Html()
    {
        var head = Join(
        [
            Raw("<meta charset=\"utf-8\">"),
            El("title", Title),
            El("style", Raw("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 12px} pre{background:#f6f8fa;padding:6px;overflow-x:auto} section.ml-output{margin:8px 0 16px}")),
            charts ? Raw(PlotlyScript.InlineTag()) : "",
        ]);
        var generated = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return "<!DOCTYPE html>" + El("html", [("lang", "en")], El("head", head),
            El("body", [El("h1", Title), .. sections, El("footer", [("style", "font-size:11px;color:#666")], $"written {generated}")])).Markup;
    }

    /// <summary>Writes the page (whole or not at all) and returns its full path.</summary>
    public string Save(string path)
    {
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(Html()));
        return Path.GetFullPath(path);
    }

    Func<object, string>? ViewFor(Type type)
    {
        // The most derived type first (a Learner is also an object; GenericChart's subclasses are charts).
        for (var t = type; t is not null; t = t.BaseType)
            if (views.TryGetValue(t, out var view)) return view;
        return null;
    }

    static Dictionary<Type, Func<object, string>> Views()
    {
        var sink = new Collected();
        HtmlViews.Describe(sink);
        return sink.Views;
    }

    sealed class Collected : IViewSink
    {
        public Dictionary<Type, Func<object, string>> Views { get; } = [];
        public void Add<T>(Func<T, string> html, Func<T, string> text) => Views[typeof(T)] = value => html((T)value);
    }
}
