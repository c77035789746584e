namespace MultiLabel.Views;

/// <summary>fastai's grid: tiles in rows of <c>columns</c> (also in <c>data-columns</c>, for readers of the page).</summary>
static class GridHtml
{
    public static Node Render(IEnumerable<Node> tiles, int columns, string cssClass)
    {
        int n = Math.Max(1, columns);
        return HtmlBuilder.El("div", [("class", cssClass), ("data-columns", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("style", $"display:grid;grid-template-columns:repeat({n}, max-content);gap:2px")],
            tiles.Select(t => HtmlBuilder.El("div", t)));
    }
}
