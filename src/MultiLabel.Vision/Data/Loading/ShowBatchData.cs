using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>One shown item: the image as the model sees it (after augmentation, de-normalised), its title
/// (labels joined by ';'), its label vector for multi-label targets, and its points in this image's pixels.</summary>
public sealed record ShowBatchItem(RgbImage Image, string Title, LabelVector? Labels, IReadOnlyList<Point2>? Points, string Location)
{
    /// <summary>The target as the block decodes it (show_results puts the prediction beside it).</summary>
    public object? Decoded { get; init; }
}

/// <summary>What show_batch draws: items and fastai's grid (rows = ⌊√n⌋, columns = ⌈n / rows⌉).</summary>
public sealed record ShowBatchData(IReadOnlyList<ShowBatchItem> Items, int Rows, int Columns, bool Valid)
{
    /// <summary>fastai's grid for <paramref name="n"/> images: ⌊√n⌋ rows, ⌈n / rows⌉ columns.</summary>
    public static (int Rows, int Columns) Grid(int n)
    {
        if (n <= 0) return (0, 0);
        int rows = Math.Max(1, (int)Math.Sqrt(n));
        return (rows, (n + rows - 1) / rows);
    }
}
