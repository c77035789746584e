using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Vision.Transforms;

/// <summary>How <see cref="Resize"/> reaches the target shape.</summary>
public enum ResizeMethod
{
    /// <summary>Scale to cover, then crop (random position in training, centre in validation).</summary>
    Crop,
    /// <summary>Stretch to the target, changing the aspect ratio.</summary>
    Squish,
    /// <summary>Scale to fit, then pad the rest.</summary>
    Pad,
}

/// <summary>How padding is filled.</summary>
public enum PadMode
{
    /// <summary>Mirror the image at its edges (fastai's default).</summary>
    Reflection,
    /// <summary>Fill with black.</summary>
    Zeros,
    /// <summary>Repeat the edge pixels.</summary>
    Border,
}

/// <summary>fastai's Resize item transform: to <c>height×width</c> by cropping, squishing or padding.</summary>
public sealed class Resize : IItemTransform, ISizedTransform
{
    /// <summary>Output height.</summary>
    public int Height { get; }
    /// <summary>Output width.</summary>
    public int Width { get; }
    /// <summary>Crop, squish or pad.</summary>
    public ResizeMethod Method { get; }
    /// <summary>How padding is filled (with <see cref="ResizeMethod.Pad"/>).</summary>
    public PadMode PadMode { get; }
    /// <inheritdoc/>
    public (int Height, int Width) OutputSize => (Height, Width);

    /// <summary>Enough pixels to cover the output: every method scales the whole image to at most what covers it
    /// (crop and squish exactly, pad less), so a reduced decode at least <c>Height×Width</c> loses nothing — a
    /// 640×480 frame resized to 240×320 decodes at half scale.</summary>
    public DecodeFloor NeededSource => new(0, Height, Width);

    /// <summary>A square resize to <paramref name="size"/> (fastai's <c>Resize(size, method)</c>).</summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="method">Crop (default), squish or pad.</param>
    /// <param name="padMode">How padding is filled.</param>
    public Resize(int size, ResizeMethod method = ResizeMethod.Crop, PadMode padMode = PadMode.Reflection) : this(size, size, method, padMode) { }

    /// <summary>A resize to <paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <param name="method">Crop (default), squish or pad.</param>
    /// <param name="padMode">How padding is filled.</param>
    public Resize(int height, int width, ResizeMethod method = ResizeMethod.Crop, PadMode padMode = PadMode.Reflection)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"Resize needs a positive size, got {height}×{width}.");
        (Height, Width, Method, PadMode) = (height, width, method, padMode);
    }

    /// <inheritdoc/>
    public void Apply(ImageSample sample, bool training, Random random)
    {
        var target = new Size(Width, Height);
        switch (Method)
        {
            case ResizeMethod.Squish:
                CropResize.Apply(sample, new Rectangle(0, 0, sample.Width, sample.Height), target);
                break;
            case ResizeMethod.Crop:
                // The largest rectangle with the target's aspect ratio, placed at random in training.
                double scale = Math.Min((double)sample.Width / Width, (double)sample.Height / Height);
                int cw = Math.Max(1, (int)Math.Round(Width * scale)), ch = Math.Max(1, (int)Math.Round(Height * scale));
                int x = training ? random.Next(0, sample.Width - cw + 1) : (sample.Width - cw) / 2;
                int y = training ? random.Next(0, sample.Height - ch + 1) : (sample.Height - ch) / 2;
                CropResize.Apply(sample, new Rectangle(x, y, cw, ch), target);
                break;
            case ResizeMethod.Pad:
                double fit = Math.Min((double)Width / sample.Width, (double)Height / sample.Height);
                int fw = Math.Max(1, (int)Math.Round(sample.Width * fit)), fh = Math.Max(1, (int)Math.Round(sample.Height * fit));
                CropResize.Apply(sample, new Rectangle(0, 0, sample.Width, sample.Height), new Size(fw, fh));
                int left = (Width - fw) / 2, top = (Height - fh) / 2;
                sample.Replace(Padding.Pad(sample.Image, Width, Height, left, top, PadMode), p => new Point2(p.X + left, p.Y + top));
                break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Resize({Height}×{Width}, {Method})";
}

/// <summary>Places an image on a larger canvas and fills the border by reflection, zeros or edge replication.</summary>
static class Padding
{
    public static Image<Rgb24> Pad(Image<Rgb24> image, int width, int height, int left, int top, PadMode mode)
    {
        // Row to row between the two ImageSharp images: no intermediate pixel array.
        var canvas = new Image<Rgb24>(ImageDecoder.Configuration, width, height, new Rgb24(0, 0, 0)); // zeros where nothing is copied
        image.ProcessPixelRows(canvas, (source, target) =>
        {
            for (int y = 0; y < height; y++)
            {
                int sy = Map(y - top, source.Height, mode);
                var row = target.GetRowSpan(y);
                if (sy < 0) continue; // zeros
                var sourceRow = source.GetRowSpan(sy);
                for (int x = 0; x < width; x++)
                {
                    int sx = Map(x - left, source.Width, mode);
                    if (sx >= 0) row[x] = sourceRow[sx];
                }
            }
        });
        return canvas;
    }

    static int Map(int i, int n, PadMode mode)
    {
        if (i >= 0 && i < n) return i;
        switch (mode)
        {
            case PadMode.Zeros: return -1;
            case PadMode.Border: return Math.Clamp(i, 0, n - 1);
            default:
                if (n == 1) return 0;
                int period = 2 * (n - 1);
                int m = ((i % period) + period) % period;
                return m < n ? m : period - m;
        }
    }
}
