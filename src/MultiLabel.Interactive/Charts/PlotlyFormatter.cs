using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace MultiLabel.Interactive.Charts;

/// <summary>Registers the offline chart HTML for Plotly.NET charts (kept apart so that loading the
/// extension does not load Plotly.NET before the FSharp.Core redirect is in place).</summary>
static class PlotlyFormatter
{
    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<PlotView>((plot, writer) => writer.Write(plot.Html()), HtmlFormatter.MimeType);
    }
}
