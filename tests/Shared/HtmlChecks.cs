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

    public static IReadOnlyList<(int Width, int Height)> DecodeImages(string html) =>
        All(html, "svg image").Select(i => i.GetAttribute("href") ?? "").Where(h => h.StartsWith("data:image/png;base64,", StringComparison.Ordinal))
            .Select(h =>
            {
                using var image = Image.Load(Convert.FromBase64String(h["data:image/png;base64,".Length..]));
                return (image.Width, image.Height);
            }).ToList();
}
