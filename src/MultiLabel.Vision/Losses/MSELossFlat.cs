using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>Mean squared error over every number (fastai's MSELossFlat): outputs [B, 2N] against points [B, N, 2]
/// compare flattened. Targets that are NaN (e.g. unlabelled COCO keypoints) are left out of the mean.</summary>
public sealed class MSELossFlat : ILoss
{
    /// <inheritdoc/>
    public string Name => "MSELossFlat";

    /// <inheritdoc/>
    public Tensor Compute(Tensor output, Tensor target)
    {
        using var o = output.flatten();
        using var t = target.to(output.dtype).flatten();
        // Masked rather than branching on "are all targets known?", which would read a value back from the GPU (a sync).
        using var known = t.isnan().logical_not_();
        using var filled = t.nan_to_num(0);
        using var diff = (o - filled).mul_(known);
        using var count = known.sum();
        using var squared = diff.mul(diff);
        return squared.sum().div_(count);
    }

    /// <inheritdoc/>
    public Tensor Activation(Tensor output) => output.alias();
}
