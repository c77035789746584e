using System.Globalization;
using System.Net;
using System.Text;
using MultiLabel.Vision.Imaging;

namespace MultiLabel.Interactive.Formatting;

/// <summary>One image with optional keypoints drawn over it as an SVG (red dots for targets, other colours for
/// predictions), in the image's own pixel coordinates, and a title under it.</summary>
static class ImageTile
{
    public static string Render(RgbImage image, string titleHtml, params (IReadOnlyList<Point2> Points, string Color)[] pointSets)
    {
        var (uri, w, h) = PngImages.Encode(image);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"ml-tile\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {image.Width} {image.Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<image href=\"{uri}\" x=\"0\" y=\"0\" width=\"{image.Width}\" height=\"{image.Height}\" preserveAspectRatio=\"none\"/>");
        double r = Math.Max(1.5, Math.Max(image.Width, image.Height) / 60.0);
        foreach (var (points, color) in pointSets)
            foreach (var p in points.Where(p => p.IsFinite))
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"ml-point\" cx=\"{p.X:0.##}\" cy=\"{p.Y:0.##}\" r=\"{r:0.##}\" fill=\"{color}\" stroke=\"white\" stroke-width=\"{r / 3:0.##}\"/>");
        svg.Append("</svg>");
        return $"<figure style=\"margin:4px;display:inline-block;text-align:center;vertical-align:top\">{svg}<figcaption style=\"font:12px sans-serif;max-width:{Math.Max(w, 96)}px;word-wrap:break-word\">{titleHtml}</figcaption></figure>";
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
