using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Vision.Transforms;

/// <summary>The one resampling step item transforms share: take a rectangle of the image (inside it) and resize it,
/// moving the points accordingly. Bilinear, as fastai's crop_pad.</summary>
static class CropResize
{
    public static void Apply(ImageSample sample, Rectangle source, Size target)
    {
        bool whole = source == new Rectangle(0, 0, sample.Width, sample.Height);
        void Operations(IImageProcessingContext x)
        {
            if (!whole) x.Crop(source);
            if (source.Size != target) x.Resize(new ResizeOptions { Size = target, Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle });
        }
        // The sample's own image changes in place; a borrowed (cached) one is read into a new image, without first
        // copying it whole.
        var image = sample.Image;
        if (sample.Borrowed) image = image.Clone(Operations);
        else if (!whole || source.Size != target) image.Mutate(Operations);
        float sx = (float)target.Width / source.Width, sy = (float)target.Height / source.Height;
        sample.Replace(image, p => new Point2((p.X - source.X) * sx, (p.Y - source.Y) * sy));
    }
}
