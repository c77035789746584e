using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Transforms;

public sealed class ItemTransformTests
{
    [Fact]
    public void Random_crops_stay_inside_the_image_with_area_and_ratio_in_range()
    {
        var crop = new RandomResizedCrop(128, minScale: 0.35);
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var r = crop.ChooseCrop(500, 375, random);
            Assert.InRange(r.X, 0, 500 - r.Width);
            Assert.InRange(r.Y, 0, 375 - r.Height);
            double area = (double)r.Width * r.Height / (500 * 375), ratio = (double)r.Width / r.Height;
            Assert.InRange(area, 0.33, 1.0);
            Assert.InRange(ratio, 0.74, 1.35);
        }
    }

    [Fact]
    public void When_no_crop_fits_the_centre_crop_takes_the_nearest_ratio()
    {
        var crop = new RandomResizedCrop(64, minScale: 1.0);

        var r = crop.ChooseCrop(400, 100, new Random(1)); // 4:1 is wider than 4:3

        Assert.Equal(new Rectangle((400 - 133) / 2, 0, 133, 100), r);
    }

    [Fact]
    public void Validation_squishes_with_a_margin_then_centre_crops_and_points_follow()
    {
        using var sample = new ImageSample(new Image<Rgb24>(200, 100), [new Point2(100, 50), new Point2(0, 0)]);

        new RandomResizedCrop(64).Apply(sample, training: false, new Random(0));

        // margin = ceil(64·0.14/8)·8 = 16: squish to 80×80, then crop 64×64 at (8, 8)
        Assert.Equal((64, 64), (sample.Width, sample.Height));
        Assert.Equal(new Point2(40 - 8, 40 - 8), sample.Points![0]);
        Assert.Equal(new Point2(-8, -8), sample.Points![1]);
    }

    [Fact]
    public void A_training_crop_moves_a_marked_pixel_where_its_point_goes()
    {
        for (int seed = 0; seed < 5; seed++)
        {
            using var sample = new ImageSample(TestImages.Dot(120, 90, 70, 40), [new Point2(70.5f, 40.5f)]);
            var crop = new RandomResizedCrop(60, minScale: 0.6);

            crop.Apply(sample, training: true, new Random(seed));

            var (x, y) = Brightest(sample.Image);
            Assert.InRange(Math.Abs(sample.Points![0].X - (x + 0.5f)), 0, 1.5f);
            Assert.InRange(Math.Abs(sample.Points![0].Y - (y + 0.5f)), 0, 1.5f);
        }
    }

    [Fact]
    public void Resize_squish_scales_points_and_pad_offsets_them_with_reflected_borders()
    {
        using var squish = new ImageSample(new Image<Rgb24>(200, 100), [new Point2(50, 50)]);
        new Resize(50, 100, ResizeMethod.Squish).Apply(squish, false, new Random(0));
        Assert.Equal((100, 50), (squish.Width, squish.Height));
        Assert.Equal(new Point2(25, 25), squish.Points![0]);

        var image = new Image<Rgb24>(40, 20, new Rgb24(0, 0, 0));
        for (int x = 0; x < 40; x++) { image[x, 0] = new Rgb24(250, 0, 0); image[x, 1] = new Rgb24(0, 250, 0); } // red, then green
        using var pad = new ImageSample(image, [new Point2(20, 10)]);
        new Resize(40, ResizeMethod.Pad, PadMode.Reflection).Apply(pad, false, new Random(0));
        Assert.Equal((40, 40), (pad.Width, pad.Height));
        Assert.Equal(new Point2(20, 20), pad.Points![0]); // centred: 10 px of padding above
        Assert.Equal(new Rgb24(250, 0, 0), pad.Image[5, 10]); // the image's top row
        Assert.Equal(new Rgb24(0, 250, 0), pad.Image[5, 9]);  // reflection mirrors about the edge row: row −1 = row 1
        Assert.Equal(new Rgb24(0, 250, 0), pad.Image[5, 11]);
    }

    static (int X, int Y) Brightest(Image<Rgb24> image)
    {
        (int, int) best = (0, 0);
        int max = -1;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y].R > max) { max = image[x, y].R; best = (x, y); }
        return best;
    }
}
