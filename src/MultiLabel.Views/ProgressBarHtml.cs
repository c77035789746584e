namespace MultiLabel.Views;

/// <summary>The one progress-bar view of a notebook cell (training and downloads): a label, an HTML <c>progress</c>
/// element and a note, in a div whose class says what it tracks (<c>ml-progress</c>, <c>ml-download</c>).</summary>
public static class ProgressBarHtml
{
    /// <summary>The bar's markup; <paramref name="total"/> below 1 draws an empty bar.</summary>
    public static HtmlFragment Render(string cssClass, string label, double done, double total, string note) =>
        new(HtmlBuilder.El("div", [("class", cssClass), ("style", "font:12px sans-serif")], label,
            HtmlBuilder.El("progress", [("value", HtmlBuilder.N(done)), ("max", HtmlBuilder.N(Math.Max(1, total))), ("style", "width:300px")]),
            " " + note).Markup);
}
