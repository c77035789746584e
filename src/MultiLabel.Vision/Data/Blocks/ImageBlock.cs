using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>The input block: an image file path (string or FileInfo) or an in-memory <see cref="RgbImage"/>.</summary>
public sealed class ImageBlock
{
    /// <summary>The decoder's limits (largest image accepted), checked for every image read.</summary>
    public DecoderLimits Limits { get; }

    /// <summary>An image block; <paramref name="limits"/> defaults to <see cref="DecoderLimits.Default"/>.</summary>
    public ImageBlock(DecoderLimits? limits = null) => Limits = limits ?? DecoderLimits.Default;

    internal object Validate(object? raw, string location) => raw switch
    {
        string path when string.IsNullOrWhiteSpace(path) => throw new InvalidDataException($"{location}: the x getter returned an empty file name."),
        string path => path,
        FileInfo file => file.FullName,
        RgbImage image => image,
        null => throw new InvalidDataException($"{location}: the x getter returned null."),
        _ => throw new InvalidDataException($"{location}: the x getter returned {raw.GetType().Name}; ImageBlock needs a file path or an RgbImage."),
    };

    /// <inheritdoc/>
    public override string ToString() => "ImageBlock";
}
