using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Blocks;

/// <summary>Turns a row of model activations (probabilities, values) into what the targets mean: a label vector, the
/// most likely label, points in the pixels of an image of the given size, or the numbers themselves.</summary>
public static class Decoding
{
    public static object Activations(TargetKind kind, Vocab? vocab, float[] row, int width, int height, float threshold) => kind switch
    {
        TargetKind.MultiLabel => new LabelVector(vocab!, row, threshold),
        TargetKind.Category => vocab![Array.IndexOf(row, row.Max())],
        TargetKind.Points => Enumerable.Range(0, row.Length / 2).Select(i => new Point2(row[2 * i], row[2 * i + 1]).ToPixels(width, height)).ToArray(),
        _ => row,
    };
}
