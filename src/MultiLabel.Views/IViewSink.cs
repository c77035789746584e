using Plotly.NET;

namespace MultiLabel.Views;

/// <summary>Where <see cref="HtmlViews.Describe"/> sends each view: a notebook kernel registers them as formatters, a
/// <see cref="Report"/> keeps them to render what it is given.</summary>
public interface IViewSink
{
    /// <summary>Shows values of type <typeparamref name="T"/> with <paramref name="html"/>, or <paramref name="text"/> where
    /// HTML cannot be shown.</summary>
    void Add<T>(Func<T, string> html, Func<T, string> text);

    /// <summary>Shows values of type <typeparamref name="T"/> as the chart <paramref name="chart"/> makes of them: by default
    /// its HTML (the live plot over its static image); a notebook kernel adds the chart's SVG and Plotly's own JSON to the
    /// same display, for front ends that render those.</summary>
    void AddChart<T>(Func<T, GenericChart> chart, Func<T, string> text) => Add<T>(v => ChartHtml.Render(chart(v)), text);
}
