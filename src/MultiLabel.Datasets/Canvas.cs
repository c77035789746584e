using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Datasets;

/// <summary>An RGB float canvas with anti-aliased shape filling (coverage by 4×4 supersampling of an inside test).</summary>
sealed class Canvas(int width, int height)
{
    readonly float[] rgb = new float[width * height * 3];

    public int Width => width;
    public int Height => height;

    public void Gradient((float R, float G, float B) top, (float R, float G, float B) bottom)
    {
        for (int y = 0; y < height; y++)
        {
            float t = (float)y / Math.Max(1, height - 1);
            for (int x = 0; x < width; x++)
                Set(x, y, (top.R + (bottom.R - top.R) * t, top.G + (bottom.G - top.G) * t, top.B + (bottom.B - top.B) * t), 1);
        }
    }

    public void Noise(Random random, float amplitude)
    {
        for (int i = 0; i < rgb.Length; i++) rgb[i] = Math.Clamp(rgb[i] + (float)(random.NextDouble() * 2 - 1) * amplitude, 0, 1);
    }

    /// <summary>Fills the pixels where <paramref name="inside"/> holds, blending by coverage, within a bounding box.</summary>
    public void Fill(Func<double, double, bool> inside, (float R, float G, float B) color, double x0, double y0, double x1, double y1, float alpha = 1)
    {
        int ix0 = Math.Max(0, (int)Math.Floor(x0)), iy0 = Math.Max(0, (int)Math.Floor(y0));
        int ix1 = Math.Min(width - 1, (int)Math.Ceiling(x1)), iy1 = Math.Min(height - 1, (int)Math.Ceiling(y1));
        for (int y = iy0; y <= iy1; y++)
            for (int x = ix0; x <= ix1; x++)
            {
                int hits = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++)
                        if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
                if (hits > 0) Set(x, y, color, alpha * hits / 16f);
            }
    }

    void Set(int x, int y, (float R, float G, float B) c, float a)
    {
        int i = (y * width + x) * 3;
        rgb[i] += (c.R - rgb[i]) * a;
        rgb[i + 1] += (c.G - rgb[i + 1]) * a;
        rgb[i + 2] += (c.B - rgb[i + 2]) * a;
    }

    public Image<Rgb24> ToImage()
    {
        var bytes = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i++) bytes[i] = (byte)Math.Clamp(Math.Round(rgb[i] * 255), 0, 255);
        return Image.LoadPixelData<Rgb24>(bytes, width, height);
    }
}
