using MultiLabel.Vision.Imaging;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>One image with optional keypoints drawn over it (red dots for targets, other colours for predictions), in the
/// image's own pixel coordinates, and a title under it.</summary>
/// <remarks>The tile is always an <c>&lt;img&gt;</c> with a data URI — the PNG itself, or an SVG that wraps the PNG and
/// draws the points — never inline <c>&lt;svg&gt;</c>: an untrusted Jupyter page, GitHub and other sanitising viewers drop
/// inline SVG but keep images.</remarks>
static class ImageTile
{
    public static Node Render(RgbImage image, Node title, params (IReadOnlyList<Point2> Points, string Color)[] pointSets)
    {
        var (png, w, h) = PngImages.Encode(image);
        var shown = pointSets.SelectMany(s => s.Points.Where(p => p.IsFinite).Select(p => (Point: p, s.Color))).ToList();
        string src = shown.Count == 0 ? png : SvgDataUri(Overlay(image, png, w, h, shown));
        var img = Empty("img", ("class", "ml-tile"), ("src", src), ("width", N(w)), ("height", N(h)));
        return El("figure", [("style", "margin:4px;display:inline-block;text-align:center;vertical-align:top")], img,
            El("figcaption", [("style", $"font:12px sans-serif;max-width:{Math.Max(w, 96)}px;word-wrap:break-word")], title));
    }

    // The PNG in a viewBox of the image's own pixels, so points need no rescaling, with one circle per point.
    static string Overlay(RgbImage image, string png, int w, int h, List<(Point2 Point, string Color)> points)
    {
        double r = Math.Max(1.5, Math.Max(image.Width, image.Height) / 60.0);
        var shapes = new List<Node>
        {
            Empty("image", ("href", png), ("x", "0"), ("y", "0"), ("width", N(image.Width)), ("height", N(image.Height)), ("preserveAspectRatio", "none")),
        };
        foreach (var (p, color) in points)
            shapes.Add(Empty("circle", ("class", "ml-point"), ("cx", N(p.X)), ("cy", N(p.Y)), ("r", N(r)), ("fill", color), ("stroke", "white"), ("stroke-width", N(r / 3))));
        return El("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", N(w)), ("height", N(h)), ("viewBox", $"0 0 {image.Width} {image.Height}")], shapes).Markup;
    }

    // SVG as UTF-8 text in the URI with only the characters URIs and attributes cannot hold escaped: the PNG inside stays
    // base64 once (base64-encoding the whole SVG would grow every keypoint tile by a third).
    static string SvgDataUri(string svg) =>
        "data:image/svg+xml," + svg.Replace("%", "%25").Replace("#", "%23").Replace("\"", "%22").Replace("<", "%3C").Replace(">", "%3E");
}
