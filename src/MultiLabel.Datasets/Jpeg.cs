using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace MultiLabel.Datasets;

static class Jpeg
{
    public static void Save(Image image, string path, int quality) =>
        image.Save(path, new JpegEncoder { Quality = quality });

    /// <summary>A generator per item, stable across runs and machines (so the files are reproducible).</summary>
    public static Random For(int seed, int index) => new(MultiLabel.Vision.Data.Seeds.Mix(seed, index));
}
