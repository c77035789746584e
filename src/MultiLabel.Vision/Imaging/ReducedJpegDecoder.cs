using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace MultiLabel.Vision.Imaging;

/// <summary>
/// Decodes JPEGs at a reduced scale (1/2, 1/4, 1/8) straight from the DCT coefficients with SkiaSharp (already a
/// TorchVision dependency), which is several times faster than a full decode followed by a resize. Used only when the
/// loader knows how many pixels it needs; anything that is not a plain JPEG, or fails, goes to ImageSharp.
/// </summary>
public static class ReducedJpegDecoder
{
    static readonly float[] Scales = [0.125f, 0.25f, 0.5f];

    /// <summary>The image at the smallest scale whose shorter side is still ≥ <paramref name="minSide"/>, or null when no
    /// reduction is possible or the file is not a JPEG SkiaSharp reads. The original size is returned for point scaling.
    /// The caller owns (and disposes) the image.</summary>
    public static (Image<Rgb24> Image, int OriginalWidth, int OriginalHeight)? TryDecode(byte[] bytes, int minSide, DecoderLimits limits) =>
        TryDecode(bytes, new DecodeFloor(minSide, 0, 0), limits);

    /// <summary>The image at the smallest scale that still meets <paramref name="floor"/>, or null as above.</summary>
    public static (Image<Rgb24> Image, int OriginalWidth, int OriginalHeight)? TryDecode(byte[] bytes, DecodeFloor floor, DecoderLimits limits)
    {
        if (bytes.Length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return null; // JPEG SOI marker
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Jpeg) return null;
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0 || (long)w * h > limits.MaxPixels) return null; // ImageSharp then reports it properly
        foreach (var scale in Scales)
        {
            var size = codec.GetScaledDimensions(scale);
            if (!floor.IsMetBy(size.Width, size.Height)) continue;
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var rgba = new byte[info.BytesSize];
            unsafe
            {
                fixed (byte* p = rgba)
                {
                    // Anything but a complete decode (e.g. a truncated file) goes to ImageSharp, which names the error.
                    if (codec.GetPixels(info, (IntPtr)p) != SKCodecResult.Success) return null;
                }
            }
            // Straight into the pipeline's image type: the RGBA rows become the RGB rows, one pass, no other copy.
            var image = new Image<Rgb24>(ImageDecoder.Configuration, size.Width, size.Height);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    var source = rgba.AsSpan(y * size.Width * 4, size.Width * 4);
                    for (int x = 0; x < row.Length; x++) row[x] = new Rgb24(source[4 * x], source[4 * x + 1], source[4 * x + 2]);
                }
            });
            return (image, w, h);
        }
        return null;
    }
}
