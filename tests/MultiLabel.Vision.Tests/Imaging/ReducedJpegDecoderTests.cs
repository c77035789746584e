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

    [Fact]
    public void A_resize_floor_decodes_at_the_scale_that_still_covers_its_output_in_both_directions()
    {
        using var temp = new TempFolder();
        var landscape = File.ReadAllBytes(TestImages.Jpeg(temp.File("l.jpg"), 640, 480, new Rgb24(10, 20, 30)));
        var portrait = File.ReadAllBytes(TestImages.Jpeg(temp.File("p.jpg"), 480, 640, new Rgb24(10, 20, 30)));
        var floor = new DecodeFloor(0, 240, 320);

        var half = ReducedJpegDecoder.TryDecode(landscape, floor, DecoderLimits.Default);
        // The shorter-side rule would refuse this: 240 is shorter than the output's longer side, 320.
        var bySide = ReducedJpegDecoder.TryDecode(landscape, 320, DecoderLimits.Default);
        // A portrait frame at half scale is 240 wide, too narrow for 320: no reduced scale covers it.
        var turned = ReducedJpegDecoder.TryDecode(portrait, floor, DecoderLimits.Default);

        Assert.Equal((320, 240, 640, 480), (half!.Value.Image.Width, half.Value.Image.Height, half.Value.OriginalWidth, half.Value.OriginalHeight));
        Assert.Null(bySide);
        Assert.Null(turned);
        Assert.True(new DecodeFloor(100, 0, 0).Max(new DecodeFloor(0, 240, 320)) == new DecodeFloor(100, 240, 320));
        Assert.False(new DecodeFloor(100, 240, 320).IsMetBy(320, 239));
    }
}
