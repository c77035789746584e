using System.Collections.Concurrent;
using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>A decoded item image and the factors its points must be scaled by (≠ 1 after a reduced decode or presizing).
/// A <see cref="Shared"/> image (kept in the cache) must be cloned before it is changed and is never disposed by its
/// reader; otherwise the reader owns it.</summary>
sealed record SourceImage(Image<Rgb24> Image, bool Shared, float ScaleX, float ScaleY, int OriginalWidth, int OriginalHeight);

/// <summary>
/// Decodes item images into the pipeline's one image type, ImageSharp's <c>Image&lt;Rgb24&gt;</c>, which item transforms
/// change in place and the collator copies once into the batch buffer. When the item transforms need fewer pixels
/// (<c>needed</c>), JPEGs are decoded at a reduced DCT scale that still meets it (SkiaSharp); everything else with
/// ImageSharp. Images whose shorter side exceeds <c>presize</c> are shrunk to it; with <c>cache</c>, each result is
/// kept for later epochs.
/// </summary>
sealed class ImageSource(DecoderLimits limits, int? presize, bool cache, DecodeFloor? needed, bool reducedJpeg = true)
{
    readonly ConcurrentDictionary<int, SourceImage> cached = new();

    public int CachedCount => cached.Count;

    public SourceImage Get(int key, object x)
    {
        if (!cache) return Decode(x);
        if (cached.TryGetValue(key, out var hit)) return hit;
        var loaded = Decode(x) with { Shared = true };
        // Two workers may decode the same item at once: one copy is kept, the other released.
        var kept = cached.GetOrAdd(key, loaded);
        if (!ReferenceEquals(kept, loaded)) loaded.Image.Dispose();
        return kept;
    }

    SourceImage Decode(object x)
    {
        if (x is RgbImage memory) return Presize(memory.ToImageSharp(), memory.Width, memory.Height);
        var path = (string)x;
        var bytes = ImageDecoder.ReadFile(path);
        DecodeFloor? floor = presize is { } p ? (needed ?? default).Max(new DecodeFloor(p, 0, 0)) : needed;
        if (reducedJpeg && floor is { } least && ReducedJpegDecoder.TryDecode(bytes, least, limits) is var (reduced, w, h))
            return Presize(reduced, w, h);
        var image = ImageDecoder.Decode(path, bytes, limits);
        return Presize(image, image.Width, image.Height);
    }

    SourceImage Presize(Image<Rgb24> image, int originalWidth, int originalHeight)
    {
        if (presize is { } p && Math.Min(image.Width, image.Height) > p)
        {
            double s = (double)p / Math.Min(image.Width, image.Height);
            int nw = Math.Max(1, (int)Math.Round(image.Width * s)), nh = Math.Max(1, (int)Math.Round(image.Height * s));
            image.Mutate(m => m.Resize(new ResizeOptions { Size = new Size(nw, nh), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
        }
        return new SourceImage(image, false, (float)image.Width / originalWidth, (float)image.Height / originalHeight, originalWidth, originalHeight);
    }
}
