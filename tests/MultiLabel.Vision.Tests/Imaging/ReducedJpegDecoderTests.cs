using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Imaging;

public sealed class ReducedJpegDecoderTests
{
    [Fact]
    public void A_jpeg_decodes_at_the_smallest_scale_that_keeps_the_needed_side()
    {
        using var temp = new TempFolder();
        var path = TestImages.Jpeg(temp.File("a.jpg"), 400, 300, new Rgb24(200, 100, 50));

        var quarter = ReducedJpegDecoder.TryDecode(File.ReadAllBytes(path), 70, DecoderLimits.Default);
        var half = ReducedJpegDecoder.TryDecode(File.ReadAllBytes(path), 100, DecoderLimits.Default);

        Assert.Equal((100, 75, 400, 300), (quarter!.Value.Image.Width, quarter.Value.Image.Height, quarter.Value.OriginalWidth, quarter.Value.OriginalHeight));
        Assert.Equal((200, 150), (half!.Value.Image.Width, half.Value.Image.Height));
        var (r, g, b) = (half.Value.Image[100, 75].R, half.Value.Image[100, 75].G, half.Value.Image[100, 75].B);
        Assert.InRange(r, 190, 210);
        Assert.InRange(g, 90, 110);
        Assert.InRange(b, 40, 60);
    }

    [Fact]
    public void No_reduction_png_and_truncated_files_fall_back_to_the_full_decoder()
    {
        using var temp = new TempFolder();
        var jpeg = TestImages.Jpeg(temp.File("a.jpg"), 64, 48, new Rgb24(1, 2, 3));
        var bytes = File.ReadAllBytes(jpeg);
        using var image = new SixLabors.ImageSharp.Image<Rgb24>(64, 48);
        var png = TestImages.Png(temp.File("a.png"), image);

        Assert.Null(ReducedJpegDecoder.TryDecode(bytes, 48, DecoderLimits.Default));
        Assert.Null(ReducedJpegDecoder.TryDecode(File.ReadAllBytes(png), 8, DecoderLimits.Default));
        Assert.Null(ReducedJpegDecoder.TryDecode(bytes[..(bytes.Length / 2)], 8, DecoderLimits.Default));
    }
}
