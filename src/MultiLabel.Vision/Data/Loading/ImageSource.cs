using System.Collections.Concurrent;
using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>A decoded item image and the factor its points must be scaled by (≠ 1 after presizing).</summary>
sealed record SourceImage(RgbImage Image, float ScaleX, float ScaleY, int OriginalWidth, int OriginalHeight);

/// <summary>Decodes item images (optionally shrunk to a presize, optionally cached across epochs).</summary>
sealed class ImageSource(DecoderLimits limits, int? presize, bool cache)
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
        if (x is RgbImage memory) return Shrink(memory.ToImageSharp());
        var path = (string)x;
        return Shrink(ImageDecoder.Load(path, limits));
    }

    SourceImage Shrink(Image<Rgb24> image)
    {
        using (image)
        {
            int w = image.Width, h = image.Height;
            if (presize is { } p && Math.Min(w, h) > p)
            {
                double s = (double)p / Math.Min(w, h);
                int nw = Math.Max(1, (int)Math.Round(w * s)), nh = Math.Max(1, (int)Math.Round(h * s));
                image.Mutate(m => m.Resize(new ResizeOptions { Size = new Size(nw, nh), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
                return new SourceImage(RgbImage.From(image), (float)nw / w, (float)nh / h, w, h);
            }
            return new SourceImage(RgbImage.From(image), 1, 1, w, h);
        }
    }
}
