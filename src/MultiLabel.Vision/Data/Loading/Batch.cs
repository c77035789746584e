using TorchSharp;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>
/// One batch on the loader's device: <see cref="X"/> images [B, 3, H, W] (normalised), <see cref="Y"/> targets
/// (multi-label [B, C] floats, category [B] int64, points [B, N, 2] in [-1, 1], regression [B, K]).
/// Dispose it (or create it inside a dispose scope) when done.
/// </summary>
public sealed class Batch : IDisposable
{
    /// <summary>The images, [B, 3, H, W] float, normalised.</summary>
    public torch.Tensor X { get; }
    /// <summary>The targets, shaped as the target block encodes them.</summary>
    public torch.Tensor Y { get; }
    /// <summary>Each item's position in its split (Datasets.Train / Valid).</summary>
    public IReadOnlyList<int> Positions { get; }
    /// <summary>Each item's image size before any transform (for errors in original pixels).</summary>
    public IReadOnlyList<(int Width, int Height)> OriginalSizes { get; }
    /// <summary>The batch's number within its epoch, from 0.</summary>
    public int Index { get; }
    /// <summary>The epoch the batch was drawn for (it seeds the shuffle and the augmentation).</summary>
    public int Epoch { get; }

    internal Batch(torch.Tensor x, torch.Tensor y, IReadOnlyList<int> positions, IReadOnlyList<(int, int)> originalSizes, int index, int epoch)
    {
        (X, Y, Positions, OriginalSizes, Index, Epoch) = (x, y, positions, originalSizes, index, epoch);
    }

    /// <summary>Items in the batch.</summary>
    public int Count => Positions.Count;

    /// <summary><c>var (x, y) = batch;</c> as fastai's <c>x, y = dls.one_batch()</c>.</summary>
    public void Deconstruct(out torch.Tensor x, out torch.Tensor y) => (x, y) = (X, Y);

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Batch {Index}: X [{string.Join(", ", X.shape)}] {X.dtype}, Y [{string.Join(", ", Y.shape)}] {Y.dtype} on {X.device}";
}
