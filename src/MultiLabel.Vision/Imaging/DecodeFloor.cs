namespace MultiLabel.Vision.Imaging;

/// <summary>
/// The least a reduced decode must keep for the item transforms to lose no detail: a shorter side of at least
/// <see cref="ShortSide"/> (a random crop of any aspect, scaled to its output, needs that much), and at least
/// <see cref="Height"/> × <see cref="Width"/> (a resize to a fixed shape, which scales the whole image to cover it).
/// </summary>
public readonly record struct DecodeFloor(int ShortSide, int Height, int Width)
{
    /// <summary>Whether an image of <paramref name="width"/>×<paramref name="height"/> keeps enough pixels.</summary>
    public bool IsMetBy(int width, int height) => Math.Min(width, height) >= ShortSide && height >= Height && width >= Width;

    /// <summary>What both floors need.</summary>
    public DecodeFloor Max(DecodeFloor other) =>
        new(Math.Max(ShortSide, other.ShortSide), Math.Max(Height, other.Height), Math.Max(Width, other.Width));
}
