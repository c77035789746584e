using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Vision.Tests;

/// <summary>Small image files written for tests.</summary>
static class TestImages
{
    public static string Jpeg(string path, int width, int height, Rgb24 color)
    {
        using var image = new Image<Rgb24>(width, height, color);
        image.Save(path, new JpegEncoder { Quality = 95 });
        return path;
    }

    /// <summary>A dark PNG with one bright 1-pixel dot (exact pixels, for tracking points through transforms).</summary>
    public static Image<Rgb24> Dot(int width, int height, int x, int y)
    {
        var image = new Image<Rgb24>(width, height, new Rgb24(0, 0, 0));
        image[x, y] = new Rgb24(255, 255, 255);
        return image;
    }

    public static string Png<TPixel>(string path, Image<TPixel> image) where TPixel : unmanaged, IPixel<TPixel>
    {
        image.Save(path, new PngEncoder());
        return path;
    }
}
