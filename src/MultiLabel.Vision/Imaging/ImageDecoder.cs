using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Vision.Imaging;

/// <summary>
/// Decodes image files with ImageSharp into 8-bit RGB: grey, grey+alpha, RGBA (alpha dropped), palette and
/// 16-bit images are converted; only the first frame of GIF/TIFF is decoded; the pixel limit is checked from
/// the header before any pixel is decoded. Every failure names the file.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The configuration images made by this library carry (sequential; first frame only).</summary>
    public static Configuration Configuration => SingleFrame.Value;

    static readonly Lazy<Configuration> SingleFrame = new(() =>
    {
        var configuration = Configuration.Default.Clone();
        // Loaders decode many images in parallel; one thread per image avoids oversubscribing the cores.
        configuration.MaxDegreeOfParallelism = 1;
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, MaxFrames = 1 });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    });

    /// <summary>Width and height from the file's header, checked against the limits.</summary>
    public static (int Width, int Height) Identify(string path, DecoderLimits? limits = null)
    {
        var bytes = ReadFile(path);
        return CheckHeader(path, bytes, limits ?? DecoderLimits.Default);
    }

    /// <summary>Decodes the image at <paramref name="path"/> to 8-bit RGB (the first frame); a file that is
    /// missing, too large or not an image is an <see cref="ImageLoadException"/> naming it.</summary>
    public static Image<Rgb24> Load(string path, DecoderLimits? limits = null)
    {
        var bytes = ReadFile(path);
        return Decode(path, bytes, limits ?? DecoderLimits.Default);
    }

    /// <summary>Decodes bytes already read (the name is used in messages only).</summary>
    public static Image<Rgb24> Decode(string name, byte[] bytes, DecoderLimits limits)
    {
        CheckHeader(name, bytes, limits);
        try
        {
            var configuration = SingleFrame.Value;
            var image = Image.Load<Rgb24>(configuration, bytes);
            while (image.Frames.Count > Math.Max(1, limits.MaxFrames)) image.Frames.RemoveFrame(image.Frames.Count - 1);
            return image;
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        {
            throw new ImageLoadException(name, $"cannot be decoded ({e.Message}); the file is corrupt or truncated", e);
        }
    }

    /// <summary>The file's bytes; a missing or empty file is an <see cref="ImageLoadException"/> naming it.</summary>
    public static byte[] ReadFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ImageLoadException(path ?? "", "the file name is empty");
        if (!File.Exists(path)) throw new ImageLoadException(path, "the file does not exist", new FileNotFoundException(null, path));
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new ImageLoadException(path, "the file is empty (0 bytes)");
        return bytes;
    }

    static (int Width, int Height) CheckHeader(string name, byte[] bytes, DecoderLimits limits)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(SingleFrame.Value, bytes, out _);
        }
        catch (Exception e) when (e is InvalidImageContentException or ImageFormatException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        {
            throw new ImageLoadException(name, $"the header cannot be read ({e.Message})", e);
        }
        if (info is null) throw new ImageLoadException(name, "is not an image in a format this library reads (JPEG, PNG, BMP, GIF, TIFF, TGA, WebP, PBM)");
        if (info.Width <= 0 || info.Height <= 0) throw new ImageLoadException(name, $"has zero size ({info.Width}×{info.Height})");
        long pixels = (long)info.Width * info.Height;
        if (pixels > limits.MaxPixels)
            throw new ImageLoadException(name, $"is {info.Width}×{info.Height} = {pixels:N0} pixels, over the limit of {limits.MaxPixels:N0} (DecoderLimits.MaxPixels)");
        return (info.Width, info.Height);
    }
}
