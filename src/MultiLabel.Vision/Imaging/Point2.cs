namespace MultiLabel.Vision.Imaging;

/// <summary>A point in an image, in pixels from the top-left corner (x to the right, y down), or in the
/// [-1, 1] coordinates batches use (-1 the left/top edge, +1 the right/bottom edge).</summary>
public readonly record struct Point2(float X, float Y)
{
    /// <summary>Whether the point has a position (a point that is not labelled is NaN).</summary>
    public bool IsFinite => float.IsFinite(X) && float.IsFinite(Y);

    /// <summary>Pixels → [-1, 1] for an image of the given size: p' = p·2/size − 1.</summary>
    public Point2 ToUnit(int width, int height) => new(X * 2f / width - 1f, Y * 2f / height - 1f);

    /// <summary>[-1, 1] → pixels for an image of the given size: p = (p' + 1)·size/2.</summary>
    public Point2 ToPixels(int width, int height) => new((X + 1f) * width / 2f, (Y + 1f) * height / 2f);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"({X:0.###}, {Y:0.###})");
}
