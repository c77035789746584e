using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>Checks on formatter HTML: embedded PNGs decode, and counts of elements.</summary>
static partial class HtmlChecks
{
    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex PngData();

    public static IReadOnlyList<(int Width, int Height)> DecodeImages(string html)
    {
        var sizes = new List<(int, int)>();
        foreach (Match m in PngData().Matches(html))
        {
            using var image = Image.Load(Convert.FromBase64String(m.Groups[1].Value));
            sizes.Add((image.Width, image.Height));
        }
        return sizes;
    }

    public static int Count(string html, string part) => Regex.Matches(html, Regex.Escape(part)).Count;
}
