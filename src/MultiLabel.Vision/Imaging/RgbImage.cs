using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Vision.Imaging;

/// <summary>A decoded 8-bit RGB image, rows top to bottom, pixels interleaved (H×W×3). Immutable by convention.</summary>
public sealed class RgbImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Height·Width·3 bytes, R G B per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>An image of <paramref name="width"/>×<paramref name="height"/> over <paramref name="pixels"/> (H·W·3 bytes, not copied).</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"An image needs a positive size, got {width}×{height}.");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"A {width}×{height} RGB image has {width * height * 3} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>The image file at <paramref name="path"/>, decoded within the default limits (fastai's <c>PILImage.create</c>).</summary>
    public static RgbImage Load(string path)
    {
        using var decoded = ImageDecoder.Load(path);
        return From(decoded);
    }

    /// <summary>A copy of an ImageSharp image's pixels.</summary>
    public static RgbImage From(Image<Rgb24> image)
    {
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <summary>A new ImageSharp image with these pixels (the caller disposes it).</summary>
    public Image<Rgb24> ToImageSharp() => Image.LoadPixelData<Rgb24>(ImageDecoder.Configuration, Pixels, Width, Height);

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"RgbImage {Width}×{Height}";

    /// <summary>fastai's <c>im.to_thumb(size)</c>: a copy no larger than <paramref name="size"/> on either side, with the
    /// same aspect ratio (PIL's <c>thumbnail</c>; an image already small enough is copied as it is).</summary>
    public RgbImage ToThumb(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        double scale = Math.Min(1.0, Math.Min((double)size / Width, (double)size / Height));
        int width = Math.Max(1, (int)Math.Round(Width * scale)), height = Math.Max(1, (int)Math.Round(Height * scale));
        using var image = ToImageSharp();
        if (width != Width || height != Height)
            image.Mutate(c => c.Resize(width, height, KnownResamplers.Lanczos3));
        return From(image);
    }
}
