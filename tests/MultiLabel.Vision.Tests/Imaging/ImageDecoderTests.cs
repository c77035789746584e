using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Imaging;

public sealed class ImageDecoderTests
{
    [Fact]
    public void Grey_images_become_rgb_with_equal_channels()
    {
        using var temp = new TempFolder();
        using var grey = new Image<L8>(3, 2, new L8(77));
        var path = TestImages.Png(temp.File("grey.png"), grey);

        using var image = ImageDecoder.Load(path);

        Assert.Equal(new Rgb24(77, 77, 77), image[2, 1]);
    }

    [Fact]
    public void Rgba_images_drop_alpha_and_16_bit_images_scale_to_8_bits()
    {
        using var temp = new TempFolder();
        using var rgba = new Image<Rgba32>(2, 2, new Rgba32(10, 20, 30, 128));
        using var deep = new Image<Rgb48>(2, 2, new Rgb48(65535, 0, 32896));

        using var fromRgba = ImageDecoder.Load(TestImages.Png(temp.File("rgba.png"), rgba));
        using var fromDeep = ImageDecoder.Load(TestImages.Png(temp.File("deep.png"), deep));

        Assert.Equal(new Rgb24(10, 20, 30), fromRgba[0, 0]);
        Assert.Equal(new Rgb24(255, 0, 128), fromDeep[1, 1]);
    }

    [Fact]
    public void Palette_images_are_expanded()
    {
        using var temp = new TempFolder();
        using var source = new Image<Rgb24>(4, 4, new Rgb24(200, 40, 40));
        var path = temp.File("palette.png");
        source.Save(path, new PngEncoder { ColorType = PngColorType.Palette });

        using var image = ImageDecoder.Load(path);

        Assert.Equal(new Rgb24(200, 40, 40), image[3, 3]);
    }

    [Fact]
    public void A_truncated_jpeg_is_an_error_naming_the_file()
    {
        using var temp = new TempFolder();
        var path = TestImages.Jpeg(temp.File("cut.jpg"), 64, 64, new Rgb24(1, 200, 3));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        var error = Assert.ThrowsAny<ImageLoadException>(() => ImageDecoder.Load(path));

        Assert.Equal(path, error.ImagePath);
        Assert.StartsWith($"Image '{path}':", error.Message);
    }

    [Fact]
    public void A_corrupt_png_and_a_non_image_are_errors_naming_the_file()
    {
        using var temp = new TempFolder();
        using var source = new Image<Rgb24>(16, 16, new Rgb24(9, 9, 9));
        var png = TestImages.Png(temp.File("bad.png"), source);
        var bytes = File.ReadAllBytes(png);
        for (int i = 40; i < bytes.Length - 12; i++) bytes[i] ^= 0x5A; // scramble the compressed data
        File.WriteAllBytes(png, bytes);
        File.WriteAllText(temp.File("notes.jpg"), "these are not pixels");

        var corrupt = Assert.ThrowsAny<ImageLoadException>(() => ImageDecoder.Load(png));
        var text = Assert.ThrowsAny<ImageLoadException>(() => ImageDecoder.Load(temp.File("notes.jpg")));

        Assert.Contains("bad.png", corrupt.Message);
        Assert.Contains("notes.jpg", text.Message);
        Assert.Contains("is not an image in a format this library reads", text.Message);
    }

    [Fact]
    public void Missing_and_empty_files_are_named()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("empty.jpg"), []);

        var missing = Assert.Throws<ImageLoadException>(() => ImageDecoder.Load(temp.File("nope.jpg")));
        var empty = Assert.Throws<ImageLoadException>(() => ImageDecoder.Load(temp.File("empty.jpg")));

        Assert.Equal($"Image '{temp.File("nope.jpg")}': the file does not exist", missing.Message);
        Assert.Equal($"Image '{temp.File("empty.jpg")}': the file is empty (0 bytes)", empty.Message);
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_refused_from_its_header()
    {
        using var temp = new TempFolder();
        var path = TestImages.Jpeg(temp.File("big.jpg"), 200, 100, new Rgb24(0, 0, 0));

        var error = Assert.Throws<ImageLoadException>(() => ImageDecoder.Load(path, new DecoderLimits(MaxPixels: 10_000)));

        Assert.Contains("is 200×100 = 20,000 pixels, over the limit of 10,000 (DecoderLimits.MaxPixels)", error.Message);
    }

    [Fact]
    public void Only_the_first_frame_of_an_animated_gif_is_decoded()
    {
        using var temp = new TempFolder();
        using var gif = new Image<Rgb24>(4, 4, new Rgb24(255, 0, 0));
        using var second = new Image<Rgb24>(4, 4, new Rgb24(0, 0, 255));
        gif.Frames.AddFrame(second.Frames.RootFrame);
        var path = temp.File("anim.gif");
        gif.SaveAsGif(path);

        using var image = ImageDecoder.Load(path);

        Assert.Equal(1, image.Frames.Count);
        Assert.True(image[0, 0].R > 200 && image[0, 0].B < 50);
    }
}
