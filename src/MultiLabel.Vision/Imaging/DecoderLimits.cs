namespace MultiLabel.Vision.Imaging;

/// <summary>Bounds on what a decoder accepts, so one hostile or broken file cannot exhaust memory.</summary>
/// <param name="MaxPixels">Largest width×height accepted (default 89,478,485, PIL's limit).</param>
/// <param name="MaxFrames">Frames decoded from animated/multi-page formats (GIF, TIFF); the first is used.</param>
public sealed record DecoderLimits(long MaxPixels = 89_478_485, int MaxFrames = 1)
{
    /// <summary>PIL's pixel limit and the first frame only.</summary>
    public static DecoderLimits Default { get; } = new();
}
