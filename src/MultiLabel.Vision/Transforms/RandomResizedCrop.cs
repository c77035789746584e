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
    public int Height { get; }
    public int Width { get; }
    public double MinScale { get; }
    public (double Low, double High) Ratio { get; }
    public double ValXtra { get; }
    public (int Height, int Width) OutputSize => (Height, Width);

    public RandomResizedCrop(int size, double minScale = 0.08, (double, double)? ratio = null, double valXtra = 0.14)
        : this(size, size, minScale, ratio, valXtra) { }

    public RandomResizedCrop(int height, int width, double minScale = 0.08, (double, double)? ratio = null, double valXtra = 0.14)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"RandomResizedCrop needs a positive size, got {height}×{width}.");
        if (minScale is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minScale), minScale, "minScale must be in (0, 1].");
        Ratio = ratio ?? (3.0 / 4, 4.0 / 3);
        if (Ratio.Low <= 0 || Ratio.High < Ratio.Low) throw new ArgumentOutOfRangeException(nameof(ratio), Ratio, "ratio must be (low, high) with 0 < low ≤ high.");
        (Height, Width, MinScale, ValXtra) = (height, width, minScale, valXtra);
    }

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

    public override string ToString() => $"RandomResizedCrop({Height}×{Width}, minScale {MinScale})";
}
