using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SixLabors.ImageSharp;

namespace MultiLabel.Testing;

/// <summary>Formatter HTML read as a browser reads it (AngleSharp's HTML5 parser): elements by CSS selector, their
/// text, table rows, and the PNGs embedded in the SVG tiles decoded to their sizes.</summary>
static class HtmlChecks
{
    static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    public static IReadOnlyList<IElement> All(string html, string selector) => Parse(html).QuerySelectorAll(selector).ToList();

    public static int Count(string html, string selector) => All(html, selector).Count;

    public static IReadOnlyList<string> Texts(string html, string selector) => All(html, selector).Select(e => e.TextContent).ToList();

    /// <summary>The body rows of the table matching <paramref name="selector"/>, as cell texts (th and td).</summary>
    public static IReadOnlyList<string[]> Rows(string html, string selector) =>
        (Parse(html).QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"no element matches '{selector}' in:\n{html}"))
            .QuerySelectorAll("tr").Where(r => r.ParentElement?.LocalName != "thead")
            .Select(r => r.Children.Where(c => c.LocalName is "td" or "th").Select(c => c.TextContent).ToArray()).ToList();

    /// <summary>Label → value of a two-column table (the learner's and the runtime's summaries).</summary>
    public static IReadOnlyDictionary<string, string> Pairs(string html, string selector) =>
        Rows(html, selector).Where(r => r.Length == 2).GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    /// <summary>The sizes of the PNGs in the image tiles (an <c>img.ml-tile</c> holds a PNG, or an SVG that wraps one).</summary>
    public static IReadOnlyList<(int Width, int Height)> DecodeImages(string html) =>
        All(html, "img.ml-tile").Select(TilePng).Select(h =>
            {
                using var image = Image.Load(Convert.FromBase64String(h["data:image/png;base64,".Length..]));
                return (image.Width, image.Height);
            }).ToList();

    /// <summary>The SVG a tile with points draws (its circles, viewBox), parsed from the data URI of the tile (an
    /// <c>img.ml-tile</c>, or the figure holding it); null for a plain PNG.</summary>
    public static IElement? TileSvg(IElement tile)
    {
        const string prefix = "data:image/svg+xml,";
        var src = (tile.LocalName == "img" ? tile : tile.QuerySelector("img.ml-tile"))?.GetAttribute("src") ?? "";
        return src.StartsWith(prefix, StringComparison.Ordinal) ? Parse(Uri.UnescapeDataString(src[prefix.Length..])).QuerySelector("svg") : null;
    }

    /// <summary>The SVGs of every tile with points in <paramref name="html"/>.</summary>
    public static IReadOnlyList<IElement> TileSvgs(string html) =>
        All(html, "img.ml-tile").Select(TileSvg).OfType<IElement>().ToList();

    static string TilePng(IElement tile) =>
        TileSvg(tile)?.QuerySelector("image")?.GetAttribute("href") ?? tile.GetAttribute("src") ?? "";
}
