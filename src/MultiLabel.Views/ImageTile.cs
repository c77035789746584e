using MultiLabel.Vision.Imaging;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>One image with optional keypoints drawn over it as an SVG (red dots for targets, other colours for
/// predictions), in the image's own pixel coordinates, and a title under it.</summary>
static class ImageTile
{
    public static Node Render(RgbImage image, Node title, params (IReadOnlyList<Point2> Points, string Color)[] pointSets)
    {
        var (uri, w, h) = PngImages.Encode(image);
        double r = Math.Max(1.5, Math.Max(image.Width, image.Height) / 60.0);
        var shapes = new List<Node>
        {
            Empty("image", ("href", uri), ("x", "0"), ("y", "0"), ("width", N(image.Width)), ("height", N(image.Height)), ("preserveAspectRatio", "none")),
        };
        foreach (var (points, color) in pointSets)
            foreach (var p in points.Where(p => p.IsFinite))
                shapes.Add(Empty("circle", ("class", "ml-point"), ("cx", N(p.X)), ("cy", N(p.Y)), ("r", N(r)), ("fill", color), ("stroke", "white"), ("stroke-width", N(r / 3))));
        var svg = El("svg", [("class", "ml-tile"), ("width", N(w)), ("height", N(h)), ("viewBox", $"0 0 {image.Width} {image.Height}"), ("xmlns", "http://www.w3.org/2000/svg")], shapes);
        return El("figure", [("style", "margin:4px;display:inline-block;text-align:center;vertical-align:top")], svg,
            El("figcaption", [("style", $"font:12px sans-serif;max-width:{Math.Max(w, 96)}px;word-wrap:break-word")], title));
    }
}
