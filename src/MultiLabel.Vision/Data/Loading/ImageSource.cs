using System.Collections.Concurrent;
using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>A decoded item image and the factors its points must be scaled by (≠ 1 after a reduced decode or presizing).</summary>
sealed record SourceImage(RgbImage Image, float ScaleX, float ScaleY, int OriginalWidth, int OriginalHeight);

/// <summary>
/// Decodes item images. When the item transforms need at most <c>neededSide</c> pixels on the shorter side, JPEGs are
/// decoded at a reduced DCT scale (SkiaSharp); everything else with ImageSharp. Images whose shorter side exceeds
/// <c>presize</c> are shrunk to it; with <c>cache</c>, each result is kept for later epochs.
/// </summary>
sealed class ImageSource(DecoderLimits limits, int? presize, bool cache, int? neededSide, bool reducedJpeg = true)
{
    readonly ConcurrentDictionary<int, SourceImage> cached = new();

    public int CachedCount => cached.Count;

    public SourceImage Get(int key, object x)
    {
        if (cache && cached.TryGetValue(key, out var hit)) return hit;
        var loaded = Decode(x);
        if (cache) cached.TryAdd(key, loaded);
        return loaded;
    }

    SourceImage Decode(object x)
    {
        if (x is RgbImage memory) return Presize(memory, memory.Width, memory.Height);
        var path = (string)x;
        var bytes = ImageDecoder.ReadFile(path);
        int? floor = presize is { } p ? Math.Max(p, neededSide ?? 0) : neededSide;
        if (reducedJpeg && floor is { } side && ReducedJpegDecoder.TryDecode(bytes, side, limits) is var (reduced, w, h))
            return Presize(reduced, w, h);
        using var image = ImageDecoder.Decode(path, bytes, limits);
        return Presize(RgbImage.From(image), image.Width, image.Height);
    }

    SourceImage Presize(RgbImage image, int originalWidth, int originalHeight)
    {
        if (presize is { } p && Math.Min(image.Width, image.Height) > p)
        {
            double s = (double)p / Math.Min(image.Width, image.Height);
            int nw = Math.Max(1, (int)Math.Round(image.Width * s)), nh = Math.Max(1, (int)Math.Round(image.Height * s));
            using var sharp = image.ToImageSharp();
            sharp.Mutate(m => m.Resize(new ResizeOptions { Size = new Size(nw, nh), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
            image = RgbImage.From(sharp);
        }
        return new SourceImage(image, (float)image.Width / originalWidth, (float)image.Height / originalHeight, originalWidth, originalHeight);
    }
}
