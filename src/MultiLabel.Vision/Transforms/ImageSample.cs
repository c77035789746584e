using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Vision.Transforms;

/// <summary>An image on its way through the item transforms, with the points that move with it (pixels). A
/// <see cref="Borrowed"/> image (the loader's cached copy) is read, never changed or disposed: the first transform that
/// resamples it makes the sample's own image from it.</summary>
public sealed class ImageSample : IDisposable
{
    /// <summary>The current image.</summary>
    public Image<Rgb24> Image { get; private set; }
    /// <summary>The points in the current image's pixels, or null without point targets.</summary>
    public Point2[]? Points { get; private set; }
    /// <summary>Whether <see cref="Image"/> belongs to someone else (transforms then produce a new image).</summary>
    public bool Borrowed { get; private set; }

    /// <summary>A sample of <paramref name="image"/> and its <paramref name="points"/>; a <paramref name="borrowed"/> image is never changed or disposed.</summary>
    public ImageSample(Image<Rgb24> image, Point2[]? points = null, bool borrowed = false)
    {
        Image = image;
        Points = points;
        Borrowed = borrowed;
    }

    /// <summary>The current image's width.</summary>
    public int Width => Image.Width;
    /// <summary>The current image's height.</summary>
    public int Height => Image.Height;

    /// <summary>Replaces the image (disposing the old one unless borrowed) and maps every point with <paramref name="map"/>.</summary>
    public void Replace(Image<Rgb24> image, Func<Point2, Point2> map)
    {
        if (!ReferenceEquals(image, Image))
        {
            if (!Borrowed) Image.Dispose();
            Borrowed = false;
        }
        Image = image;
        if (Points is not null) Points = Points.Select(p => p.IsFinite ? map(p) : p).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!Borrowed) Image.Dispose();
    }
}
