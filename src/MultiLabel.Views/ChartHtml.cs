using Plotly.NET;

namespace MultiLabel.Views;

/// <summary>
/// Renders Plotly.NET charts as notebook HTML with plotly.js inlined instead of loaded from a CDN.
/// The library goes into the first chart of a kernel session only; later charts wait for window.Plotly,
/// which the front end keeps across outputs (VS Code, Jupyter, HTML exports in document order).
/// </summary>
public static class ChartHtml
{
    static int embedded;

    /// <summary>When true, every chart carries plotly.js (self-contained outputs, ~3.5 MB each).</summary>
    public static bool EmbedInEveryChart { get; set; }

    /// <summary>Forgets that plotly.js was sent (a new kernel session).</summary>
    public static void ResetSession() => Interlocked.Exchange(ref embedded, 0);

    /// <summary>plotly.js as a script element if this session has not received it yet, else empty. Live displays show
    /// this once, separately, because their later in-place updates replace whatever the first render carried.</summary>
    public static string TakeLibrary() =>
        EmbedInEveryChart || Interlocked.Exchange(ref embedded, 1) == 0 ? PlotlyScript.InlineTag() : "";

    // Set while a page that carries plotly.js itself (a Report) renders its charts.
    [ThreadStatic] static bool libraryInPage;

    /// <summary>Until disposed, charts rendered on this thread leave plotly.js out: the page around them carries it.</summary>
    internal static IDisposable LibraryProvidedByPage()
    {
        bool previous = libraryInPage;
        libraryInPage = true;
        return new Restore(previous);
    }

    sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => libraryInPage = previous;
    }

    /// <summary>The chart as an HTML fragment that draws offline: plotly.js is embedded in the first chart of a session
    /// (or left to the page inside <see cref="LibraryProvidedByPage"/>). It starts as a static image of the chart
    /// (<see cref="StaticChart"/>), which the script replaces by the live plot: where scripts do not run (a saved notebook
    /// on GitHub, an untrusted Jupyter, nbconvert's HTML without scripts) the image stays.</summary>
    public static string Render(GenericChart chart)
    {
        var id = $"ml-plot-{Guid.NewGuid():N}";
        var figure = GenericChart.toFigureJson(chart);
        bool withLibrary = !libraryInPage && (EmbedInEveryChart || Interlocked.Exchange(ref embedded, 1) == 0);
        return (withLibrary ? PlotlyScript.InlineTag() : "") +
            "<div class=\"ml-chart\">" +
            StaticChart.ImgTag(chart, $"{id}-static", "ml-static-chart", "chart (a static image; the live plot draws where scripts run)") +
            $"<div id=\"{id}\" class=\"ml-plot\"></div></div>" +
            "<script type=\"text/javascript\">(function(){" +
            $"var fig = {figure}; var tries = 0;" +
            "function draw(){ var el = document.getElementById('" + id + "'); if (!el) return;" +
            " if (window.Plotly) { var still = document.getElementById('" + id + "-static'); if (still) still.style.display = 'none';" +
            " window.Plotly.newPlot(el, fig.data, fig.layout, {responsive: true}); return; }" +
            " if (++tries < 100) { setTimeout(draw, 100); return; }" +
            " el.textContent = 'plotly.js is not loaded in this view (the image above is static): re-run the cell that first drew a chart.'; }" +
            "draw(); })();</script>";
    }
}
