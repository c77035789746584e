namespace MultiLabel.Views;

/// <summary>fastai's grid: tiles in rows of <c>columns</c> (also in <c>data-columns</c>, for readers of the page).</summary>
/// <remarks>A table, not a CSS grid: an untrusted Jupyter page, GitHub and other sanitising viewers drop style attributes
/// but keep tables, so the rows stay rows there too.</remarks>
static class GridHtml
{
    const string CellStyle = "padding:1px;border:none;background:none;text-align:center;vertical-align:top";

    public static Node Render(IEnumerable<Node> tiles, int columns, string cssClass)
    {
        int n = Math.Max(1, columns);
        var rows = tiles.Chunk(n).Select(row => HtmlBuilder.El("tr", row.Select(tile => HtmlBuilder.El("td", [("style", CellStyle)], tile)).ToArray()));
        return HtmlBuilder.El("div", [("class", cssClass), ("data-columns", n.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            HtmlBuilder.El("table", [("class", "ml-grid"), ("style", "border-collapse:collapse;border:none;margin:0")], HtmlBuilder.El("tbody", rows.ToArray())));
    }
}
