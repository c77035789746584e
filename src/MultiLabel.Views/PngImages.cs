using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Views;

/// <summary>Images as PNG data URIs (no network needed to show them); large images are shrunk for display.</summary>
static class PngImages
{
    public const int MaxSide = 192;

    /// <summary>The PNG data URI and the displayed size (the image shrunk so its longer side is at most <paramref name="maxSide"/>).</summary>
    public static (string DataUri, int Width, int Height) Encode(RgbImage image, int maxSide = MaxSide)
    {
        using var sharp = image.ToImageSharp();
        double scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        if (scale < 1) sharp.Mutate(m => m.Resize(Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale))));
        using var stream = new MemoryStream();
        sharp.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestCompression });
        return ($"data:image/png;base64,{Convert.ToBase64String(stream.ToArray())}", sharp.Width, sharp.Height);
    }
}
