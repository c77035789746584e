using System.Text;

namespace MultiLabel.Interactive.Formatting;

/// <summary>fastai's grid: tiles in rows of <c>columns</c>.</summary>
static class GridHtml
{
    public static string Render(IReadOnlyList<string> tiles, int columns, string cssClass)
    {
        var html = new StringBuilder($"<div class=\"{cssClass}\" style=\"display:grid;grid-template-columns:repeat({Math.Max(1, columns)}, max-content);gap:2px\">");
        foreach (var tile in tiles) html.Append("<div>").Append(tile).Append("</div>");
        return html.Append("</div>").ToString();
    }
}
