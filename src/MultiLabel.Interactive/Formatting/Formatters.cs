using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Views;
using Plotly.NET;

namespace MultiLabel.Interactive.Formatting;

/// <summary>Registers the package's views (<see cref="HtmlViews"/>) as the kernel's HTML and plain-text formatters; charts
/// also as SVG and, where the front end receives it as JSON, Plotly JSON in the same display.</summary>
static class Formatters
{
    /// <summary>Plotly's own MIME type, which JupyterLab (with its Plotly renderer) and VS Code draw natively.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The static twin's MIME type.</summary>
    public const string SvgMimeType = "image/svg+xml";

    /// <param name="plotlyJson">Whether charts carry <see cref="PlotlyMimeType"/>: not in Jupyter (<see cref="FrontEnd.IsJupyter"/>).</param>
    public static void Register(bool plotlyJson) => HtmlViews.Describe(new KernelFormatters(plotlyJson));

    sealed class KernelFormatters(bool plotlyJson) : IViewSink
    {
        public void Add<T>(Func<T, string> html, Func<T, string> text)
        {
            Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
            Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
        }

        // A front end shows the richest type it renders: the HTML (live plot over its static image) in Jupyter and
        // nteract, the Plotly JSON where a Plotly renderer is installed, the SVG where neither HTML nor scripts are shown.
        public void AddChart<T>(Func<T, GenericChart> chart, Func<T, string> text)
        {
            Add<T>(v => ChartHtml.Render(chart(v)), text);
            Formatter.Register<T>((value, writer) => writer.Write(StaticChart.Svg(chart(value))), SvgMimeType);
            if (plotlyJson)
            {
                Formatter.Register<T>((value, writer) => writer.Write(GenericChart.toFigureJson(chart(value))), PlotlyMimeType);
                Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, SvgMimeType, PlotlyMimeType, PlainTextFormatter.MimeType);
            }
            else Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, SvgMimeType, PlainTextFormatter.MimeType);
        }
    }
}
