using SixLabors.ImageSharp;

namespace MultiLabel.Vision.Transforms;

/// <summary>
/// fastai's RandomResizedCrop: in training, a random crop covering <c>minScale</c>..1 of the area with an aspect ratio
/// in <c>ratio</c> (up to 10 tries, else a centre crop at the closest allowed ratio), resized to the target. In
/// validation, the whole image squished to the size plus a margin (<c>valXtra</c>, rounded up to a multiple of 8),
/// then centre-cropped to the size.
/// </summary>
public sealed class RandomResizedCrop : IItemTransform, ISizedTransform
{
    /// <summary>Output height.</summary>
    public int Height { get; }
    /// <summary>Output width.</summary>
    public int Width { get; }
    /// <summary>Smallest share of the image's area a training crop covers.</summary>
    public double MinScale { get; }
    /// <summary>Range of the crop's aspect ratio (width / height).</summary>
    public (double Low, double High) Ratio { get; }
    /// <summary>Extra margin, as a share of the size, that validation squishes to before the centre crop.</summary>
    public double ValXtra { get; }
    /// <inheritdoc/>
    public (int Height, int Width) OutputSize => (Height, Width);

    /// <summary>Square crops of <paramref name="size"/> (fastai's <c>RandomResizedCrop(size, min_scale)</c>).</summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="minScale">Smallest share of the area a training crop covers.</param>
    /// <param name="ratio">Aspect-ratio range; default (3/4, 4/3).</param>
    /// <param name="valXtra">Validation margin as a share of the size.</param>
    public RandomResizedCrop(int size, double minScale = 0.08, (double, double)? ratio = null, double valXtra = 0.14)
        : this(size, size, minScale, ratio, valXtra) { }

    /// <summary>Crops of <paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <param name="minScale">Smallest share of the area a training crop covers.</param>
    /// <param name="ratio">Aspect-ratio range; default (3/4, 4/3).</param>
    /// <param name="valXtra">Validation margin as a share of the size.</param>
    public RandomResizedCrop(int height, int width, double minScale = 0.08, (double, double)? ratio = null, double valXtra = 0.14)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"RandomResizedCrop needs a positive size, got {height}×{width}.");
        if (minScale is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minScale), minScale, "minScale must be in (0, 1].");
        Ratio = ratio ?? (3.0 / 4, 4.0 / 3);
        if (Ratio.Low <= 0 || Ratio.High < Ratio.Low) throw new ArgumentOutOfRangeException(nameof(ratio), Ratio, "ratio must be (low, high) with 0 < low ≤ high.");
        (Height, Width, MinScale, ValXtra) = (height, width, minScale, valXtra);
    }

    /// <inheritdoc/>
    public void Apply(ImageSample sample, bool training, Random random)
    {
        int w = sample.Width, h = sample.Height;
        if (!training)
        {
            int extra = (int)Math.Ceiling(Math.Max(Height, Width) * ValXtra / 8) * 8;
            CropResize.Apply(sample, new Rectangle(0, 0, w, h), new Size(Width + extra, Height + extra));
            CropResize.Apply(sample, new Rectangle(extra / 2, extra / 2, Width, Height), new Size(Width, Height));
            return;
        }
        CropResize.Apply(sample, ChooseCrop(w, h, random), new Size(Width, Height));
    }

    /// <summary>The crop rectangle fastai's algorithm picks for a w×h image (exposed for tests).</summary>
    public Rectangle ChooseCrop(int w, int h, Random random)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double area = (MinScale + random.NextDouble() * (1 - MinScale)) * w * h;
            double logLow = Math.Log(Ratio.Low), logHigh = Math.Log(Ratio.High);
            double ratio = Math.Exp(logLow + random.NextDouble() * (logHigh - logLow));
            int nw = (int)Math.Round(Math.Sqrt(area * ratio)), nh = (int)Math.Round(Math.Sqrt(area / ratio));
            if (nw <= w && nh <= h && nw > 0 && nh > 0)
                return new Rectangle(random.Next(0, w - nw + 1), random.Next(0, h - nh + 1), nw, nh);
        }
        (int ch, int cw) = (double)w / h < Ratio.Low ? ((int)(w / Ratio.Low), w)
            : (double)w / h > Ratio.High ? (h, (int)(h * Ratio.High))
            : (h, w);
        return new Rectangle((w - cw) / 2, (h - ch) / 2, cw, ch);
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandomResizedCrop({Height}×{Width}, minScale {MinScale})";
}
