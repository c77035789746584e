using System.Globalization;
using System.Net;
using System.Text;

namespace MultiLabel.Views;

/// <summary>A piece of HTML. Made from a string it is that text, encoded; raw markup only through <see cref="HtmlBuilder.Raw"/>.</summary>
readonly record struct Node(string Markup)
{
    public static implicit operator Node(string text) => new(WebUtility.HtmlEncode(text));
    public override string ToString() => Markup;
}

/// <summary>
/// The views' small element builder: text and attribute values are encoded by default, so a label, a file name or an
/// error message can never become markup. <c>HtmlBuilder.El("td", [("class", "x")], "a &lt; b")</c> gives
/// <c>&lt;td class="x"&gt;a &amp;lt; b&lt;/td&gt;</c>.
/// </summary>
static class HtmlBuilder
{
    /// <summary>Markup written by this code (an SVG, a chart's div), inserted as it is.</summary>
    public static Node Raw(string markup) => new(markup);

    public static Node El(string tag, params Node[] children) => El(tag, [], children);

    public static Node El(string tag, (string Name, string? Value)[] attributes, params Node[] children) =>
        El(tag, attributes, (IEnumerable<Node>)children);

    public static Node El(string tag, (string Name, string? Value)[] attributes, IEnumerable<Node> children)
    {
        var html = OpenTag(tag, attributes).Append('>');
        foreach (var child in children) html.Append(child.Markup);
        return new(html.Append("</").Append(tag).Append('>').ToString());
    }

    /// <summary>An element without content or closing tag (SVG shapes).</summary>
    public static Node Empty(string tag, params (string Name, string? Value)[] attributes) =>
        new(OpenTag(tag, attributes).Append("/>").ToString());

    // "<tag" and its attributes, values encoded; an attribute whose value is null is left out.
    static StringBuilder OpenTag(string tag, (string Name, string? Value)[] attributes)
    {
        var html = new StringBuilder("<").Append(tag);
        foreach (var (name, value) in attributes)
            if (value is not null) html.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
        return html;
    }

    public static Node Join(IEnumerable<Node> nodes) => new(string.Concat(nodes.Select(n => n.Markup)));

    /// <summary>A number in attribute or text form, culture-independent.</summary>
    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A table with a header row and text cells (fastai's tables: left-aligned).</summary>
    public static Node Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows, string cssClass) =>
        El("table", [("class", cssClass)],
            El("thead", El("tr", header.Select(h => El("th", [("style", "text-align:left")], h)).ToArray())),
            El("tbody", rows.Select(r => El("tr", r.Select(c => El("td", [("style", "text-align:left")], c)).ToArray())).ToArray()));
}
